import { NotFoundError, ValidationError } from '../errors.js'
import { toSafeNumber } from '../driver/codecs.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { ColumnMeta } from '../schema/table.js'
import { alwaysFalse, andAll, n, type ExprNode, type OrderNode, type SelectNode } from '../sql/ast.js'
import type { CompiledQuery } from '../sql/compiler.js'
import type { SqlFragment } from '../sql/sql-template.js'
import { scopeOf, type QueryContext } from './context.js'
import { keyPredicate } from './keys.js'
import { readPlan, readRows } from './row-reader.js'
import type { ColumnName, InferUpdate, Operator, Page, Row, TableKey, TableOf } from './types.js'
import {
  checkDirection, checkInteger, checkOperator, columnNode, columnOf, comparison, foldClauses, inList, rawPredicate,
  valueFor,
} from './where.js'
import { deleteWhere, restoreWhere, updateWhere } from './mutations.js'
import { chunk } from './chunk.js'
import { distinctValues, largestInList } from './in-lists.js'

export interface Clause {
  readonly or: boolean
  readonly expr: ExprNode
}

export interface QueryState {
  readonly clauses: readonly Clause[]
  readonly order: readonly OrderNode[]
  readonly limit?: number
  readonly offset?: number
  readonly select?: readonly ColumnMeta[]
  readonly trashed: 'exclude' | 'with' | 'only'
  /** Set by find(): the query reads one row by its key (no LIMIT needed in the SQL). */
  readonly byKey?: boolean
  /** What a subclass keeps (the relation layer: eager loads, aggregates, joins). */
  readonly extra?: unknown
}

const EMPTY: QueryState = Object.freeze({ clauses: [], order: [], trashed: 'exclude' })

type Cols<S extends AnySchema, K extends TableKey<S>> = ColumnName<TableOf<S, K>>
type ValueOf<S extends AnySchema, K extends TableKey<S>, C extends string> = C extends Cols<S, K> ? Row<S, K>[C] : number
type WhereValue<V> = V | null | readonly V[] | SqlFragment
/** The value type of a where operand: a column's, or an aggregate alias's as the row type says. */
type OperandValue<S extends AnySchema, K extends TableKey<S>, R, C extends string> = C extends Cols<S, K> ? Row<S, K>[C] : C extends keyof R ? R[C] : number
type Group<S extends AnySchema, K extends TableKey<S>> = (q: any) => BaseQueryBuilder<S, K, any, any>

/**
 * The query builder of one table. Immutable: every method returns a new builder, so a builder can be
 * kept and reused. Column names are checked against the schema as they are given.
 */
export class BaseQueryBuilder<S extends AnySchema, K extends TableKey<S>, R = Row<S, K>, X extends string = never> {
  /** The type of one result row (type-level only). */
  declare readonly $row: R

  constructor(
    protected readonly ctx: QueryContext,
    protected readonly state: QueryState = EMPTY,
  ) {}

  /** True when the query reads at most one row: find(), first(), or limit(1). */
  protected get readsOneRow(): boolean {
    return this.state.byKey === true || this.state.limit === 1
  }

  /** A fresh builder of the same class over the same table: the `where` group callbacks get one. */
  protected fresh(state: QueryState): this {
    const Ctor = this.constructor as new (ctx: QueryContext, state: QueryState) => this
    return new Ctor(this.ctx, state)
  }

  protected next(patch: Partial<QueryState>): this {
    const Ctor = this.constructor as new (ctx: QueryContext, state: QueryState) => this
    return new Ctor(this.ctx, { ...this.state, ...patch })
  }

  protected column(prop: unknown): ColumnMeta {
    return columnOf(this.ctx.meta, prop)
  }

  protected ref(column: ColumnMeta): ExprNode {
    return columnNode(scopeOf(this.ctx), column)
  }

  /** What a name in where/orderBy stands for: a column, or (in the relation layer) an aggregate's alias. */
  protected operand(prop: unknown): { expr: ExprNode; column?: ColumnMeta } {
    const column = this.column(prop)
    return { expr: this.ref(column), column }
  }

  protected add(or: boolean, expr: ExprNode): this {
    return this.next({ clauses: [...this.state.clauses, { or, expr }] })
  }

  /** The predicate of a `where`: `(column, value)`, `(column, op, value)`, `({ column: value })` or `(q => group)`. */
  protected predicate(args: unknown[]): ExprNode {
    const [first, second, third] = args
    if (typeof first === 'function') return this.group(first as Group<S, K>)
    if (first !== null && typeof first === 'object') {
      const entries = Object.entries(first as Record<string, unknown>)
      const parts = entries.map(([prop, value]) => {
        const column = this.column(prop)
        return comparison(this.ref(column), column, '=', value)
      })
      return parts.length === 1 ? parts[0] : n.and(parts)
    }
    const { expr, column } = this.operand(first)
    if (args.length === 2) return comparison(expr, column, '=', second)
    if (args.length === 3) return comparison(expr, column, checkOperator(second), third)
    throw new ValidationError('where() takes (column, value), (column, operator, value), ({ column: value }) or (q => group).')
  }

  protected group(fn: Group<S, K>): ExprNode {
    const inner = fn(this.fresh({ ...EMPTY, trashed: 'with' }))
    if (!(inner instanceof BaseQueryBuilder)) throw new ValidationError('A where group callback must return the builder it was given.')
    return foldClauses(inner.state.clauses) ?? n.constant(true)
  }

  where<C extends Cols<S, K> | X>(column: C, value: WhereValue<OperandValue<S, K, R, C>>): this
  where<C extends Cols<S, K> | X>(column: C, op: Operator, value: unknown): this
  where(values: Partial<{ [C in Cols<S, K>]: WhereValue<ValueOf<S, K, C>> }>): this
  where(group: (q: this) => BaseQueryBuilder<S, K, any, any>): this
  where(...args: unknown[]): this {
    return this.add(false, this.predicate(args))
  }

  orWhere<C extends Cols<S, K> | X>(column: C, value: WhereValue<OperandValue<S, K, R, C>>): this
  orWhere<C extends Cols<S, K> | X>(column: C, op: Operator, value: unknown): this
  orWhere(values: Partial<{ [C in Cols<S, K>]: WhereValue<ValueOf<S, K, C>> }>): this
  orWhere(group: (q: this) => BaseQueryBuilder<S, K, any, any>): this
  orWhere(...args: unknown[]): this {
    return this.add(true, this.predicate(args))
  }

  /** NOT (group). */
  whereNot(group: (q: this) => BaseQueryBuilder<S, K, any, any>): this {
    return this.add(false, n.not(this.group(group)))
  }
  orWhereNot(group: (q: this) => BaseQueryBuilder<S, K, any, any>): this {
    return this.add(true, n.not(this.group(group)))
  }

  whereIn<C extends Cols<S, K>>(column: C, values: readonly ValueOf<S, K, C>[]): this {
    const col = this.column(column)
    return this.add(false, inList(this.ref(col), col, values, false))
  }
  whereNotIn<C extends Cols<S, K>>(column: C, values: readonly ValueOf<S, K, C>[]): this {
    const col = this.column(column)
    return this.add(false, inList(this.ref(col), col, values, true))
  }
  orWhereIn<C extends Cols<S, K>>(column: C, values: readonly ValueOf<S, K, C>[]): this {
    const col = this.column(column)
    return this.add(true, inList(this.ref(col), col, values, false))
  }
  orWhereNotIn<C extends Cols<S, K>>(column: C, values: readonly ValueOf<S, K, C>[]): this {
    const col = this.column(column)
    return this.add(true, inList(this.ref(col), col, values, true))
  }

  whereNull(column: Cols<S, K>): this {
    return this.add(false, n.isNull(this.ref(this.column(column))))
  }
  whereNotNull(column: Cols<S, K>): this {
    return this.add(false, n.isNull(this.ref(this.column(column)), true))
  }
  orWhereNull(column: Cols<S, K>): this {
    return this.add(true, n.isNull(this.ref(this.column(column))))
  }
  orWhereNotNull(column: Cols<S, K>): this {
    return this.add(true, n.isNull(this.ref(this.column(column)), true))
  }

  whereBetween<C extends Cols<S, K>>(column: C, range: readonly [ValueOf<S, K, C>, ValueOf<S, K, C>]): this {
    return this.add(false, this.between(column, range, false))
  }
  whereNotBetween<C extends Cols<S, K>>(column: C, range: readonly [ValueOf<S, K, C>, ValueOf<S, K, C>]): this {
    return this.add(false, this.between(column, range, true))
  }
  orWhereBetween<C extends Cols<S, K>>(column: C, range: readonly [ValueOf<S, K, C>, ValueOf<S, K, C>]): this {
    return this.add(true, this.between(column, range, false))
  }

  private between(prop: unknown, range: readonly unknown[], negate: boolean): ExprNode {
    const col = this.column(prop)
    if (!Array.isArray(range) || range.length !== 2) throw new ValidationError('whereBetween takes [low, high].')
    return n.between(this.ref(col), valueFor(col, range[0]), valueFor(col, range[1]), negate)
  }

  /** Raw SQL with `?` placeholders; every value is bound. */
  whereRaw(sql: string | SqlFragment, values: readonly unknown[] = []): this {
    return this.add(false, rawPredicate(sql, values))
  }
  orWhereRaw(sql: string | SqlFragment, values: readonly unknown[] = []): this {
    return this.add(true, rawPredicate(sql, values))
  }

  /** Only these columns: the result type narrows to them. */
  // The relation layer's QueryBuilder narrows the row type; here the builder is only the base of it.
  select<C extends Cols<S, K>>(...columns: C[]): any {
    const list = columns.flat() as unknown[]
    if (list.length === 0) throw new ValidationError('select() needs at least one column.')
    return this.next({ select: list.map((c) => this.column(c)) }) as any
  }

  orderBy(column: Cols<S, K> | X, direction: 'asc' | 'desc' = 'asc'): this {
    const { expr, column: col } = this.operand(column)
    return this.next({ order: [...this.state.order, n.order(expr, checkDirection(direction), col ? col.config.nullable : true)] })
  }
  latest(column: Cols<S, K> = 'createdAt' as Cols<S, K>): this {
    return this.orderBy(column, 'desc')
  }
  oldest(column: Cols<S, K> = 'createdAt' as Cols<S, K>): this {
    return this.orderBy(column, 'asc')
  }

  limit(count: number): this {
    return this.next({ limit: checkInteger(count, 'limit') })
  }
  offset(count: number): this {
    return this.next({ offset: checkInteger(count, 'offset') })
  }

  /** Include soft-deleted rows. */
  withTrashed(): this {
    return this.next({ trashed: 'with' })
  }
  /** Only soft-deleted rows. */
  onlyTrashed(): this {
    return this.next({ trashed: 'only' })
  }

  // ---- building ---------------------------------------------------------------------------------

  /** The WHERE of this query with the soft-delete scope applied. */
  whereNode(trashed = this.state.trashed): ExprNode | undefined {
    const user = foldClauses(this.state.clauses)
    const soft = this.ctx.meta.softDelete
    if (!soft || trashed === 'with') return user
    return andAll([user, n.isNull(this.ref(soft), trashed === 'only')])
  }

  protected selectedColumns(): readonly ColumnMeta[] {
    return this.state.select ?? this.ctx.meta.columns
  }

  /** Select-list items after the table's columns (aggregates, joined relations), read back by `readExtras`. */
  protected extraColumns(): ExprNode[] {
    return []
  }

  protected joinNodes(): SelectNode['joins'] {
    return undefined
  }

  /** Decodes the extra select items into the rows and loads what else the query asked for. */
  protected readExtras(_rows: R[], _raw: readonly unknown[], _width: number): Promise<void> | void {}

  /** The SELECT of this query; `overrides` replace parts of it (the select list and joins they replace are not built). */
  protected selectNode(overrides?: Partial<SelectNode>): SelectNode {
    const { limit, offset, order } = this.state
    const alias = scopeOf(this.ctx).alias
    const columns: ExprNode[] = []
    if (!overrides?.columns) {
      for (const c of this.selectedColumns()) columns.push(this.ref(c))
      columns.push(...this.extraColumns())
    }
    const node = n.select({
      from: n.table(this.ctx.meta.name, alias),
      columns,
      joins: overrides && 'joins' in overrides ? undefined : this.joinNodes(),
      where: this.whereNode(),
      orderBy: order,
      limit: limit === undefined ? undefined : n.integer(limit),
      offset: offset === undefined ? undefined : n.integer(offset),
    })
    return overrides ? { ...node, ...overrides } : node
  }

  /** The SQL and parameters this query would run, for inspection. */
  toSQL(): CompiledQuery {
    return this.ctx.session.compile(this.selectNode())
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** True when the WHERE can match nothing (an empty whereIn): no statement needs to run. */
  protected matchesNothing(): boolean {
    return alwaysFalse(this.whereNode())
  }

  /**
   * The same query as several, one per chunk of its largest IN list, when it would exceed the dialect's
   * bound-parameter limit and splitting gives the same result (AND-joined clauses, no LIMIT/OFFSET, and no
   * ORDER BY when `ordered` results are asked for); undefined otherwise. See query/in-lists.ts.
   */
  protected splitByParameters(ordered: boolean, query: CompiledQuery): this[] | undefined {
    const max = this.ctx.session.core.capabilities.maxParameters
    const total = query.params.length
    if (total <= max) return undefined
    const { clauses, limit, offset, order } = this.state
    if (clauses.length === 0 || limit !== undefined || offset !== undefined || (ordered && order.length > 0)) return undefined
    if (clauses.some((c, i) => i > 0 && c.or)) return undefined
    const big = largestInList(clauses.map((c) => c.expr))
    if (!big) return undefined
    const listed = big.node.values as readonly (readonly ExprNode[])[]
    const room = max - (total - listed.length)
    if (room < 1) return undefined
    return chunk(distinctValues(listed), room).map((part) =>
      this.next({ clauses: clauses.map((c, i) => (i === big.index ? { or: c.or, expr: n.in(big.node.left, part, false) } : c)) }),
    )
  }

  async get(): Promise<R[]> {
    if (this.matchesNothing()) return []
    const { session } = this.ctx
    const query = session.compileWithinLimit(this.selectNode())
    const parts = this.splitByParameters(true, query)
    if (parts) {
      const out: R[] = []
      for (const part of parts) out.push(...(await part.get()))
      return out
    }
    const result = await session.execute(query, 'array')
    const columns = this.selectedColumns()
    const rows = readRows<R>(result.rows, readPlan(this.ctx.session.core.dialect.codecs, columns))
    const loading = this.readExtras(rows, result.rows, columns.length)
    if (loading) await loading
    return rows
  }

  /** The first row (by primary key when no order was given), or null. */
  async first(): Promise<R | null> {
    let q = this.limit(1)
    if (this.state.order.length === 0) q = q.orderByKey()
    const rows = await q.get()
    return rows[0] ?? null
  }

  async firstOrFail(): Promise<R> {
    const row = await this.first()
    if (!row) throw new NotFoundError(this.ctx.meta.name)
    return row
  }

  /** The row with this primary key: a plain key lookup (the key is unique, so no ORDER BY or LIMIT). */
  async find(key: unknown): Promise<R | null> {
    const clauses = [...this.state.clauses, { or: false, expr: keyPredicate(scopeOf(this.ctx), key) }]
    const rows = await this.next({ clauses, byKey: true }).get()
    return rows[0] ?? null
  }

  async findOrFail(key: unknown): Promise<R> {
    const row = await this.find(key)
    if (!row) throw new NotFoundError(this.ctx.meta.name, key)
    return row
  }

  private orderByKey(): this {
    const order = this.ctx.meta.primaryKey.map((p) => n.order(this.ref(this.column(p)), 'asc'))
    return this.next({ order })
  }

  async count(): Promise<number> {
    if (this.matchesNothing()) return 0
    const { limit, offset } = this.state
    let node: SelectNode
    if (limit === undefined && offset === undefined) {
      node = this.selectNode({ columns: [n.fn('count', [n.star()])], joins: undefined, orderBy: [], limit: undefined, offset: undefined })
    } else {
      const inner = this.selectNode({ columns: [n.raw(['1'])], joins: undefined })
      node = n.select({ from: { kind: 'DerivedTable', query: inner, alias: 'counted' }, columns: [n.fn('count', [n.star()])] })
    }
    const query = this.ctx.session.compileWithinLimit(node)
    const parts = this.splitByParameters(false, query)
    if (parts) {
      let total = 0
      for (const part of parts) total += await part.count()
      return total
    }
    const result = await this.ctx.session.execute(query, 'array')
    return toSafeNumber((result.rows[0] as unknown[])[0])
  }

  async exists(): Promise<boolean> {
    if (this.matchesNothing()) return false
    const node = this.selectNode({ columns: [n.raw(['1'])], joins: undefined, orderBy: [], limit: n.integer(1), offset: undefined })
    const result = await this.ctx.session.run(node)
    return result.rows.length > 0
  }

  /** The values of one column. */
  async pluck<C extends Cols<S, K>>(column: C): Promise<ValueOf<S, K, C>[]> {
    const col = this.column(column)
    if (this.matchesNothing()) return []
    const query = this.ctx.session.compileWithinLimit(this.selectNode({ columns: [this.ref(col)], joins: undefined }))
    const parts = this.splitByParameters(true, query)
    if (parts) {
      const out: ValueOf<S, K, C>[] = []
      for (const part of parts) out.push(...(await part.pluck(column)))
      return out
    }
    const result = await this.ctx.session.execute(query, 'array')
    const rows = readRows<Record<string, unknown>>(result.rows, readPlan(this.ctx.session.core.dialect.codecs, [col]))
    return rows.map((r) => r[col.prop]) as ValueOf<S, K, C>[]
  }

  async paginate(options: { page?: number; perPage?: number } = {}): Promise<Page<R>> {
    const page = checkInteger(options.page ?? 1, 'page')
    const perPage = checkInteger(options.perPage ?? 15, 'perPage')
    if (page < 1 || perPage < 1) throw new ValidationError('page and perPage must be at least 1.')
    const total = await this.next({ limit: undefined, offset: undefined }).count()
    const data = await this.limit(perPage).offset((page - 1) * perPage).get()
    return { data, total, page, perPage, lastPage: Math.max(1, Math.ceil(total / perPage)) }
  }

  /**
   * Reads the rows in batches, one statement per batch. Without an explicit order it walks the primary key
   * (keyset pagination, stable under inserts); with one it pages by offset with the key as a tie-breaker.
   */
  async *cursor(options: { batchSize?: number } = {}): AsyncGenerator<R, void, undefined> {
    const size = checkInteger(options.batchSize ?? 500, 'batchSize')
    if (size < 1) throw new ValidationError('batchSize must be at least 1.')
    const pk = this.ctx.meta.primaryKey
    const keyset = this.state.order.length === 0 && pk.length === 1 && this.state.limit === undefined && !this.state.offset
    if (keyset) {
      const keyColumn = this.column(pk[0])
      let last: unknown = undefined
      for (;;) {
        let q = this.orderByKey().limit(size)
        if (last !== undefined) q = q.add(false, n.binary(this.ref(keyColumn), '>', valueFor(keyColumn, last)))
        const rows = await q.withKey(keyColumn).get()
        for (const row of rows) yield this.state.select && !this.state.select.includes(keyColumn) ? omit(row, keyColumn.prop) : row
        if (rows.length < size) return
        last = (rows[rows.length - 1] as Record<string, unknown>)[keyColumn.prop]
      }
    }
    // The key ends the order as a tie-breaker, so no row is skipped or repeated between batches.
    const keyOrder = this.ctx.meta.primaryKey.map((p) => n.order(this.ref(this.column(p)), 'asc'))
    const base = this.next({ order: [...this.state.order, ...keyOrder] })
    const start = this.state.offset ?? 0
    const end = this.state.limit === undefined ? Infinity : start + this.state.limit
    for (let offset = start; offset < end; offset += size) {
      const rows = await base.next({ offset, limit: Math.min(size, end - offset) }).get()
      yield* rows
      if (rows.length < size) return
    }
  }

  private withKey(column: ColumnMeta): this {
    const select = this.state.select
    return select && !select.includes(column) ? this.next({ select: [...select, column] }) : this
  }

  // ---- writing ----------------------------------------------------------------------------------

  /** Updates the matching rows; returns how many rows matched. */
  async update(values: InferUpdate<TableOf<S, K>>): Promise<number> {
    if (this.matchesNothing()) return 0
    return updateWhere(this.ctx, this.writeTarget(), values as Record<string, unknown>)
  }

  /** Deletes the matching rows (soft where the table soft-deletes, unless `force`); returns how many. */
  async delete(options: { force?: boolean } = {}): Promise<number> {
    if (this.matchesNothing()) return 0
    return deleteWhere(this.ctx, this.writeTarget(), options.force === true)
  }

  forceDelete(): Promise<number> {
    return this.delete({ force: true })
  }

  /** Brings soft-deleted matching rows back. */
  async restore(): Promise<number> {
    if (this.matchesNothing()) return 0
    return restoreWhere(this.ctx, this.writeTarget('only'))
  }

  /** The WHERE that selects the rows to write; a limit or order turns into a key subquery. */
  private writeTarget(trashed = this.state.trashed): ExprNode | undefined {
    const where = this.whereNode(trashed)
    if (this.state.limit === undefined && this.state.offset === undefined) return where
    const pkCols = this.ctx.meta.primaryKey.map((p) => this.column(p))
    if (pkCols.length === 0) throw new ValidationError(`A limited update/delete needs a primary key on "${this.ctx.meta.name}".`)
    const inner = this.selectNode({ columns: pkCols.map((c) => this.ref(c)), joins: undefined, where })
    const wrapped = n.select({
      from: { kind: 'DerivedTable', query: inner, alias: 'targets' },
      columns: pkCols.map((c) => n.column(c.name, 'targets')),
    })
    return n.in(pkCols.map((c) => this.ref(c)), wrapped)
  }
}

function omit<R>(row: R, prop: string): R {
  const copy = { ...(row as Record<string, unknown>) }
  delete copy[prop]
  return copy as R
}
