import { ValidationError } from '../errors.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { ColumnMeta } from '../schema/table.js'
import { n, type ExprNode, type JoinNode, type SelectNode } from '../sql/ast.js'
import { BaseQueryBuilder, type QueryState } from '../query/query-builder.js'
import { scopeOf, type QueryContext } from '../query/context.js'
import { readPlan } from '../query/row-reader.js'
import { checkDirection, checkOperator, columnOf, comparison } from '../query/where.js'
import type { ColumnName, Row, TableKey, TableOf } from '../query/types.js'
import { aggregateOf, type Aggregate, type AggregateFn } from './aggregates.js'
import { addPath, type EagerTree } from './eager-tree.js'
import { checkTree, loadTree, matchKeys } from './eager-load.js'
import { relationExists } from './filters.js'
import { joinSpec, planLoading, type JoinSpec, type LoadPlan } from './join-plan.js'
import { linksOf, relationOf } from './links.js'
import type { AggregatableName, FilterPath, JoinableName, PathTarget, RelationPath, RelationTarget, WithLoaded } from './types.js'

interface RelationState {
  readonly eager: EagerTree
  readonly aggregates: readonly Aggregate[]
  readonly joins: readonly JoinSpec[]
}

const NONE: RelationState = { eager: new Map(), aggregates: [], joins: [] }

const joinedColumnCache = new WeakMap<JoinSpec, ExprNode[]>()

/** The select-list items of a joined relation: its table's columns under the join's alias (built once per join). */
function joinedColumns(join: JoinSpec): ExprNode[] {
  let columns = joinedColumnCache.get(join)
  if (!columns) joinedColumnCache.set(join, (columns = join.link.targetMeta.columns.map((c) => n.column(c.name, join.alias))))
  return columns
}

type Cols<S extends AnySchema, K> = K extends TableKey<S> ? ColumnName<TableOf<S, K>> : never
type Extra<S extends AnySchema, K extends TableKey<S>, R> = Exclude<Extract<keyof R, string>, ColumnName<TableOf<S, K>>>
type Loaded<Q> = Q extends { readonly $row: infer Full } ? Full : never
type Sub<S extends AnySchema, T> = [T] extends [TableKey<S>] ? QueryBuilder<S, T> : never
type Related<S extends AnySchema, K extends TableKey<S>, N> = Sub<S, RelationTarget<S, K, N>>
/** What a constraint callback returns: the builder it was given, with its conditions (a forgotten return is a type error). */
type Built = { readonly $row: unknown }
type CountOperator = '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='
/** sum/avg of a decimal column is a string (every digit kept); of other columns a number. */
type SumOf<V> = [NonNullable<V>] extends [string] ? string | null : number | null

/**
 * The query builder users hold (`db.users.query()`): the table query plus relations — eager loading
 * (`with`, `join`), relation filters (`has`, `whereHas`, ...) and aggregates (`withCount`, ...).
 * `R` is the row with its aggregates, `W` the eager paths, `C` the row types that `with` callbacks chose.
 */
export class QueryBuilder<S extends AnySchema, K extends TableKey<S>, R = Row<S, K>, W extends string = never, C = {}> extends BaseQueryBuilder<
  S,
  K,
  WithLoaded<S, K, R, W, C>,
  Extra<S, K, R>
> {
  private get rel(): RelationState {
    return (this.state.extra as RelationState | undefined) ?? NONE
  }

  private loadPlan?: LoadPlan

  /**
   * The joins and keyed loads this query runs. With the 'auto' strategy a query that reads one row loads its
   * unique to-one relations with joins (join-plan.ts): one statement instead of one per relation.
   */
  private get plan(): LoadPlan {
    const { joins, eager } = this.rel
    const joinToOne = this.readsOneRow && this.ctx.session.core.eagerStrategy === 'auto'
    return (this.loadPlan ??= planLoading(this.ctx.schema, this.ctx.tableKey, joins, eager, joinToOne))
  }

  private withRel(patch: Partial<RelationState>): any {
    return this.next({ extra: { ...this.rel, ...patch } } as Partial<QueryState>)
  }

  /** A where group's builder knows the aggregates added so far, so their names work inside the group too. */
  protected override fresh(state: QueryState): this {
    const { aggregates } = this.rel
    return super.fresh(aggregates.length ? { ...state, extra: { ...NONE, aggregates } } : state)
  }

  /** Keys the eager loader matches on that select() left out: read with the rows, and dropped after loading. */
  private eagerKeys(): ColumnMeta[] {
    const { select } = this.state
    if (!select || this.rel.eager.size === 0) return []
    return [...matchKeys(this.ctx.schema, this.ctx.tableKey, this.rel.eager)].filter((c) => !select.includes(c))
  }

  protected override selectedColumns(): readonly ColumnMeta[] {
    const keys = this.eagerKeys()
    return keys.length ? [...super.selectedColumns(), ...keys] : super.selectedColumns()
  }

  override get() {
    const keys = this.eagerKeys()
    if (keys.length === 0) return super.get()
    return super.get().then((rows) => {
      for (const row of rows) for (const c of keys) delete (row as Record<string, unknown>)[c.prop]
      return rows
    })
  }

  // ---- eager loading ----------------------------------------------------------------------------

  /** Loads relations with the rows: names, dot paths, '*', or one path with a constraint callback. */
  with<P extends string>(...paths: (P & RelationPath<S, K, P>)[]): QueryBuilder<S, K, R, W | P, C>
  with<P extends string, Q extends { readonly $row: unknown }>(
    path: P & RelationPath<S, K, P>,
    constraint: (q: Sub<S, PathTarget<S, K, P>>) => Q,
  ): QueryBuilder<S, K, R, W | P, C & { [_ in P]: Loaded<Q> }>
  with(...args: unknown[]): any {
    let eager = this.rel.eager
    if (args.length === 2 && typeof args[1] === 'function') {
      eager = addPath(this.ctx.schema, this.ctx.tableKey, eager, args[0] as string, args[1] as (q: any) => any)
      checkTree(this.ctx, eager, makeBuilder)
    } else {
      for (const path of args.flat()) eager = withPath(this.ctx, eager, path as string)
    }
    return this.withRel({ eager })
  }

  /** Loads a to-one relation in the same statement, with a LEFT JOIN. */
  join<N extends JoinableName<S, K>>(name: N): QueryBuilder<S, K, R & { [_ in N]: Row<S, RelationTarget<S, K, N>> | null }, W, C> {
    const relation = relationOf(this.ctx.schema, this.ctx.tableKey, name)
    const links = linksOf(this.ctx.schema, relation)
    if (relation.many || links.length !== 1 || links[0].joins('x').length > 0) {
      throw new ValidationError(
        `join("${name}"): only to-one relations (belongsTo, hasOne, morphOne) load with a join; ` +
          `${this.ctx.meta.name}.${name} is ${relation.kind}: use with("${name}").`,
      )
    }
    if (this.rel.joins.some((j) => j.name === name)) return this as any
    return this.withRel({ joins: [...this.rel.joins, joinSpec(name, links[0])] })
  }

  // ---- relation filters -------------------------------------------------------------------------

  private filter(or: boolean, negate: boolean, name: unknown, constraint: unknown, op: unknown, count: unknown): this {
    const pred = relationExists(
      this.ctx,
      name as string,
      makeBuilder,
      constraint as ((q: any) => any) | undefined,
      (op as string) ?? '>=',
      (count as number) ?? 1,
    )
    return this.add(or, negate ? n.not(pred) : pred)
  }

  has<P extends string>(name: P & FilterPath<S, K, P>, op?: CountOperator, count?: number): this {
    return this.filter(false, false, name, undefined, op, count)
  }
  orHas<P extends string>(name: P & FilterPath<S, K, P>, op?: CountOperator, count?: number): this {
    return this.filter(true, false, name, undefined, op, count)
  }
  doesntHave<P extends string>(name: P & FilterPath<S, K, P>): this {
    return this.filter(false, true, name, undefined, undefined, undefined)
  }
  orDoesntHave<P extends string>(name: P & FilterPath<S, K, P>): this {
    return this.filter(true, true, name, undefined, undefined, undefined)
  }
  whereHas<P extends string>(name: P & FilterPath<S, K, P>, constraint?: (q: Sub<S, PathTarget<S, K, P>>) => Built, op?: CountOperator, count?: number): this {
    return this.filter(false, false, name, constraint, op, count)
  }
  orWhereHas<P extends string>(name: P & FilterPath<S, K, P>, constraint?: (q: Sub<S, PathTarget<S, K, P>>) => Built, op?: CountOperator, count?: number): this {
    return this.filter(true, false, name, constraint, op, count)
  }
  whereDoesntHave<P extends string>(name: P & FilterPath<S, K, P>, constraint?: (q: Sub<S, PathTarget<S, K, P>>) => Built): this {
    return this.filter(false, true, name, constraint, undefined, undefined)
  }
  orWhereDoesntHave<P extends string>(name: P & FilterPath<S, K, P>, constraint?: (q: Sub<S, PathTarget<S, K, P>>) => Built): this {
    return this.filter(true, true, name, constraint, undefined, undefined)
  }

  // ---- pivot columns (inside a belongsToMany / morphToMany query) -------------------------------

  private pivotColumn(prop: unknown): { expr: ExprNode; column: ColumnMeta } {
    const pivot = this.ctx.pivot
    if (!pivot) throw new ValidationError(`wherePivot/orderByPivot only work inside a query over a pivot relation (${this.ctx.meta.name} is not one here).`)
    const column = columnOf(pivot.meta, prop)
    return { expr: n.column(column.name, pivot.alias, column.kind), column }
  }

  wherePivot(column: string, opOrValue: unknown, value?: unknown): this {
    const { expr, column: col } = this.pivotColumn(column)
    const pred = arguments.length >= 3 ? comparison(expr, col, checkOperator(opOrValue), value) : comparison(expr, col, '=', opOrValue)
    return this.add(false, pred)
  }
  orWherePivot(column: string, opOrValue: unknown, value?: unknown): this {
    const { expr, column: col } = this.pivotColumn(column)
    const pred = arguments.length >= 3 ? comparison(expr, col, checkOperator(opOrValue), value) : comparison(expr, col, '=', opOrValue)
    return this.add(true, pred)
  }
  orderByPivot(column: string, direction: 'asc' | 'desc' = 'asc'): this {
    const { expr, column: col } = this.pivotColumn(column)
    return this.next({ order: [...this.state.order, n.order(expr, checkDirection(direction), col.config.nullable)] })
  }

  // ---- aggregates -------------------------------------------------------------------------------

  private aggregate(fn: AggregateFn, name: unknown, column: string | undefined, constraint: unknown, options: unknown): any {
    const as = (options as { as?: string } | undefined)?.as
    const agg = aggregateOf(this.ctx, this.ctx.session.core.dialect.codecs, name as string, fn, column, makeBuilder, constraint as any, as)
    const rest = this.rel.aggregates.filter((a) => a.alias !== agg.alias)
    return this.withRel({ aggregates: [...rest, agg] })
  }

  /** Adds `<relation>Count` (or the `as` name) to each row. */
  withCount<N extends AggregatableName<S, K>>(...names: N[]): QueryBuilder<S, K, R & { [P in N as `${P}Count`]: number }, W, C>
  withCount<N extends AggregatableName<S, K>, A extends string = `${N}Count`>(
    name: N,
    constraint: (q: Related<S, K, N>) => Built,
    options?: { as?: A },
  ): QueryBuilder<S, K, R & { [_ in A]: number }, W, C>
  withCount(...args: unknown[]): any {
    if (typeof args[1] === 'function') return this.aggregate('count', args[0], undefined, args[1], args[2])
    return args.flat().reduce((q: any, name) => q.aggregate('count', name, undefined, undefined, undefined), this)
  }

  /** Adds `<relation>Exists: boolean`. */
  withExists<N extends AggregatableName<S, K>>(...names: N[]): QueryBuilder<S, K, R & { [P in N as `${P}Exists`]: boolean }, W, C>
  withExists<N extends AggregatableName<S, K>, A extends string = `${N}Exists`>(
    name: N,
    constraint: (q: Related<S, K, N>) => Built,
    options?: { as?: A },
  ): QueryBuilder<S, K, R & { [_ in A]: boolean }, W, C>
  withExists(...args: unknown[]): any {
    if (typeof args[1] === 'function') return this.aggregate('exists', args[0], undefined, args[1], args[2])
    return args.flat().reduce((q: any, name) => q.aggregate('exists', name, undefined, undefined, undefined), this)
  }

  withSum<N extends AggregatableName<S, K>, Col extends Cols<S, RelationTarget<S, K, N>>, A extends string = `${N}Sum${Capitalize<Col>}`>(
    name: N, column: Col, constraint?: (q: Related<S, K, N>) => Built, options?: { as?: A },
  ): QueryBuilder<S, K, R & { [_ in A]: SumOf<Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>[Col & keyof Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>]> }, W, C> {
    return this.aggregate('sum', name, column, constraint, options)
  }
  withAvg<N extends AggregatableName<S, K>, Col extends Cols<S, RelationTarget<S, K, N>>, A extends string = `${N}Avg${Capitalize<Col>}`>(
    name: N, column: Col, constraint?: (q: Related<S, K, N>) => Built, options?: { as?: A },
  ): QueryBuilder<S, K, R & { [_ in A]: SumOf<Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>[Col & keyof Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>]> }, W, C> {
    return this.aggregate('avg', name, column, constraint, options)
  }
  withMin<N extends AggregatableName<S, K>, Col extends Cols<S, RelationTarget<S, K, N>>, A extends string = `${N}Min${Capitalize<Col>}`>(
    name: N, column: Col, constraint?: (q: Related<S, K, N>) => Built, options?: { as?: A },
  ): QueryBuilder<S, K, R & { [_ in A]: Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>[Col & keyof Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>] | null }, W, C> {
    return this.aggregate('min', name, column, constraint, options)
  }
  withMax<N extends AggregatableName<S, K>, Col extends Cols<S, RelationTarget<S, K, N>>, A extends string = `${N}Max${Capitalize<Col>}`>(
    name: N, column: Col, constraint?: (q: Related<S, K, N>) => Built, options?: { as?: A },
  ): QueryBuilder<S, K, R & { [_ in A]: Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>[Col & keyof Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>] | null }, W, C> {
    return this.aggregate('max', name, column, constraint, options)
  }

  /** Only these columns; the relations and aggregates asked for still load. */
  override select<Col extends ColumnName<TableOf<S, K>>>(...columns: Col[]): QueryBuilder<S, K, Omit<R, Exclude<ColumnName<TableOf<S, K>>, Col>>, W, C> {
    return super.select(...columns) as any
  }

  // ---- building and reading ---------------------------------------------------------------------

  protected override operand(prop: unknown): { expr: ExprNode; column?: ColumnMeta } {
    const agg = this.rel.aggregates.find((a) => a.alias === prop)
    if (agg) return { expr: agg.expr, column: agg.operand }
    return super.operand(prop)
  }

  protected override extraColumns(): ExprNode[] {
    return this.extrasFor(this.plan.joins)
  }

  protected override joinNodes(): SelectNode['joins'] {
    return this.joinNodesFor(this.plan.joins)
  }

  protected override readExtras(rows: any[], raw: readonly unknown[], width: number): Promise<void> | void {
    const { joins, eager, underJoins } = this.plan
    this.decodeFor(rows, raw, width, joins)
    // Nothing left to load (a plain read, or one whose relations were all joined): no await, no extra tick.
    if (underJoins.length > 0 || eager.size > 0) return this.loadRest(rows, eager, underJoins)
  }

  private async loadRest(rows: any[], eager: EagerTree, underJoins: LoadPlan['underJoins']): Promise<void> {
    for (const [join, tree] of underJoins) {
      const joined = rows.map((row) => row[join.name]).filter((row) => row !== null)
      const { target, targetMeta } = join.link
      await loadTree({ session: this.ctx.session, schema: this.ctx.schema, tableKey: target, meta: targetMeta }, joined, tree, makeBuilder)
    }
    if (eager.size > 0) await loadTree(this.ctx, rows, eager, makeBuilder)
  }

  private extrasFor(joins: readonly JoinSpec[]): ExprNode[] {
    const extras: ExprNode[] = []
    for (const a of this.rel.aggregates) extras.push(n.alias(a.expr, a.alias))
    for (const j of joins) extras.push(...joinedColumns(j))
    return extras
  }

  private joinNodesFor(joins: readonly JoinSpec[]): SelectNode['joins'] {
    if (joins.length === 0) return undefined
    const outer = scopeOf(this.ctx).alias
    return joins.map((j): JoinNode => {
      const on = j.link.match(j.alias).map((m, i) => n.binary(m, '=', n.column(j.link.parentKey[i].name, outer)))
      const soft = j.link.targetMeta.softDelete
      const live = soft ? [n.isNull(n.column(soft.name, j.alias))] : []
      return { kind: 'Join', type: 'left', table: n.table(j.link.targetMeta.name, j.alias), on: n.and([...on, ...j.link.conditions(j.alias), ...live]) }
    })
  }

  /** Aggregates and joined rows, read from the select-list items after `width` columns. */
  private decodeFor(rows: any[], raw: readonly unknown[], width: number, joins: readonly JoinSpec[]): void {
    let offset = width
    for (const agg of this.rel.aggregates) {
      const at = offset++
      raw.forEach((values, i) => {
        const v = (values as unknown[])[at]
        rows[i][agg.alias] = v === null || v === undefined ? (agg.alias.endsWith('Count') ? 0 : null) : agg.decode(v)
      })
    }
    const codecs = this.ctx.session.core.dialect.codecs
    for (const j of joins) {
      const { columns, primaryKey } = j.link.targetMeta
      const plan = readPlan(codecs, columns)
      // The joined row is read in place from its columns in the select list; no match (a key of nulls) is null.
      for (let i = 0; i < raw.length; i++) {
        const row = plan.read(raw[i] as unknown[], offset)
        rows[i][j.name] = primaryKey.every((p) => row[p] === null) ? null : row
      }
      offset += columns.length
    }
  }

  /** The parts the eager loader reads from a constraint callback's query. */
  eagerParts() {
    return {
      columns: this.state.select ?? this.ctx.meta.columns,
      where: this.whereNode(),
      order: this.state.order,
      limit: this.state.limit,
      offset: this.state.offset,
      // A constraint's query loads its relations keyed (the loader reads `tree`): only explicit join()s join here.
      tree: this.rel.eager,
      extras: this.extrasFor(this.rel.joins),
      joins: this.joinNodesFor(this.rel.joins) ?? [],
      decodeExtras: (rows: any[], raw: readonly unknown[], width: number) => this.decodeFor(rows, raw, width, this.rel.joins),
    }
  }
}

const fromEmpty = new WeakMap<AnySchema, Map<string, Map<string, EagerTree>>>()
const fromTree = new WeakMap<EagerTree, Map<string, EagerTree>>()

/**
 * The tree with one more path (no constraint). The same `with('a.b')` gives the same tree every time, so it is
 * built and checked once per starting tree and path and then shared (trees are never changed, only copied):
 * the join plan is cached per tree too. The empty tree is shared by every table, so paths from it are kept per
 * schema and table (a table definition may be used by several schemas, with other relations); any other tree
 * was built for one table of one schema.
 */
function withPath(ctx: QueryContext, tree: EagerTree, path: string): EagerTree {
  let paths: Map<string, EagerTree> | undefined
  if (tree.size === 0) {
    let tables = fromEmpty.get(ctx.schema)
    if (!tables) fromEmpty.set(ctx.schema, (tables = new Map()))
    paths = tables.get(ctx.tableKey)
    if (!paths) tables.set(ctx.tableKey, (paths = new Map()))
  } else {
    paths = fromTree.get(tree)
    if (!paths) fromTree.set(tree, (paths = new Map()))
  }
  let next = paths.get(path)
  if (!next) paths.set(path, (next = addPath(ctx.schema, ctx.tableKey, tree, path)))
  return next
}

/** A new builder over a table: what the eager loader, the aggregates and the relation filters build their subqueries with. */
function makeBuilder(ctx: QueryContext): any {
  return new QueryBuilder(ctx)
}
