import { shortDecimal, VALUES } from './data.js'
import type { Random } from './random.js'
import { relationOf, relationsOf, tableOf, type ColumnSpec, type DataKind, type RelationSpec, type SchemaSpec } from './schema.js'

export type CountOp = '=' | '!=' | '<' | '<=' | '>' | '>='
export type CmpOp = CountOp | 'like' | 'not like'

/** A where predicate, as data: generated, applied through the public API, and evaluated by the oracle. */
export type Pred =
  | { readonly kind: 'cmp'; readonly column: string; readonly op: CmpOp; readonly value: unknown; readonly form: 'op' | 'short' | 'object' }
  | { readonly kind: 'in'; readonly column: string; readonly values: readonly unknown[]; readonly negate: boolean }
  | { readonly kind: 'between'; readonly column: string; readonly range: readonly [unknown, unknown]; readonly negate: boolean }
  | { readonly kind: 'null'; readonly column: string; readonly negate: boolean; readonly form: 'whereNull' | 'where' }
  | { readonly kind: 'and' | 'or'; readonly items: readonly Pred[] }
  | { readonly kind: 'not'; readonly item: Pred }
  /**
   * has / whereHas (count `op count`, default `>= 1`), doesntHave / whereDoesntHave when `negate`; the
   * constraint (with `withTrashed`, soft-deleted rows of the last relation count) applies to the last relation.
   */
  | {
      readonly kind: 'has'
      readonly path: readonly string[]
      readonly constraint?: Pred
      readonly withTrashed?: boolean
      readonly op?: CountOp
      readonly count?: number
      readonly negate: boolean
    }
  /** A where on an aggregate's alias (root query only). */
  | { readonly kind: 'aggregate'; readonly alias: string; readonly op: CountOp; readonly value: unknown }
  /** wherePivot on the pivot's weight (inside a query over a belongsToMany). */
  | { readonly kind: 'pivot'; readonly op: CountOp; readonly value: number | null }

export type AggregateFn = 'count' | 'exists' | 'sum' | 'min' | 'max'
export interface AggregateSpec {
  readonly fn: AggregateFn
  readonly relation: string
  readonly column?: string
  readonly constraint?: Pred
  /** The alias given with `{ as }`, or undefined for the default name. */
  readonly as?: string
  /** The property the value lands in. */
  readonly alias: string
}

export interface OrderSpec {
  readonly column: string
  readonly direction: 'asc' | 'desc'
  /** orderByPivot (the pivot's weight). */
  readonly pivot?: boolean
}

export interface ConstraintSpec {
  readonly where?: Pred
  readonly order: readonly OrderSpec[]
  readonly limit?: number
  readonly offset?: number
  readonly select?: readonly string[]
  readonly withTrashed?: boolean
  /** withCount on the related rows, and to-one joins and nested loads under them. */
  readonly aggregates?: readonly AggregateSpec[]
  readonly joins?: readonly string[]
  readonly with?: readonly (readonly string[])[]
}

export interface EagerSpec {
  readonly path: readonly string[]
  readonly constraint?: ConstraintSpec
}

export interface QuerySpec {
  readonly root: string
  readonly select?: readonly string[]
  readonly joins: readonly string[]
  readonly aggregates: readonly AggregateSpec[]
  readonly where?: Pred
  readonly eager: readonly EagerSpec[]
  readonly order: readonly OrderSpec[]
  readonly limit?: number
  readonly offset?: number
}

const COUNT_OPS: readonly CountOp[] = ['=', '!=', '<', '<=', '>', '>=']
const LIKE_PATTERNS = ['a%', '%b', '_', '%', 'a_', '', '%a%']
/** Kinds whose values order (everything but boolean). */
const ORDERED = (kind: string) => kind !== 'boolean'

interface PredContext {
  readonly table: string
  /** How many relation levels a has/whereHas may still go down (3 at the root). */
  readonly hasDepth: number
  /** Inside a query over a belongsToMany: wherePivot is allowed. */
  readonly pivot: boolean
  /** Aggregates of the root query, usable by name. */
  readonly aggregates: readonly AggregateSpec[]
}

/** Generates queries over one schema. */
export class QueryGenerator {
  constructor(
    private readonly spec: SchemaSpec,
    private readonly rand: Random,
  ) {}

  /** A random value of a column's kind (ids and foreign keys: small integers, some past the last row). */
  value(c: Pick<ColumnSpec, 'kind'>): unknown {
    if (c.kind === 'id' || c.kind === 'fk') return this.rand.int(0, 15)
    const value = this.rand.pick(VALUES[c.kind as DataKind])
    return c.kind === 'decimal' && this.rand.chance(0.3) ? shortDecimal(value as string) : value
  }

  /** Columns a predicate or an order may use (every column but the soft-delete timestamp). */
  private columns(table: string): readonly ColumnSpec[] {
    return tableOf(this.spec, table).columns.filter((c) => c.prop !== 'deletedAt')
  }

  leaf(table: string): Pred {
    const { rand } = this
    const c = rand.pick(this.columns(table))
    const roll = rand.next()
    if (roll < 0.45) {
      if (c.kind === 'string' && rand.chance(0.3)) {
        return { kind: 'cmp', column: c.prop, op: rand.chance(0.7) ? 'like' : 'not like', value: rand.pick(LIKE_PATTERNS), form: 'op' }
      }
      const op = ORDERED(c.kind) ? rand.pick(COUNT_OPS) : rand.pick(['=', '!='] as const)
      const form = op === '=' ? rand.pick(['op', 'short', 'object'] as const) : 'op'
      return { kind: 'cmp', column: c.prop, op, value: this.value(c), form }
    }
    if (roll < 0.7) {
      const values = Array.from({ length: rand.int(0, 4) }, () => (c.nullable && rand.chance(0.1) ? null : this.value(c)))
      return { kind: 'in', column: c.prop, values, negate: rand.chance(0.4) }
    }
    if (roll < 0.8 && ORDERED(c.kind)) {
      return { kind: 'between', column: c.prop, range: [this.value(c), this.value(c)], negate: rand.chance(0.3) }
    }
    return { kind: 'null', column: c.prop, negate: rand.chance(0.5), form: rand.chance(0.7) ? 'whereNull' : 'where' }
  }

  /** A random relation path of `length` steps from `table` (shorter when a table has no relations). */
  path(table: string, length: number): RelationSpec[] {
    const out: RelationSpec[] = []
    let at = table
    for (let i = 0; i < length; i++) {
      const options = relationsOf(this.spec, at)
      if (options.length === 0) break
      const r = this.rand.pick(options)
      out.push(r)
      at = r.target
    }
    return out
  }

  pred(ctx: PredContext, depth = 0): Pred {
    const { rand } = this
    const roll = rand.next()
    if (depth < 3 && roll < 0.22) {
      const items = Array.from({ length: rand.int(1, 3) }, () => this.pred(ctx, depth + 1))
      return { kind: rand.chance(0.5) ? 'and' : 'or', items }
    }
    if (depth < 3 && roll < 0.3) return { kind: 'not', item: this.pred(ctx, depth + 1) }
    if (ctx.hasDepth > 0 && roll < 0.55) {
      const has = this.has(ctx)
      if (has) return has
    }
    if (ctx.aggregates.length > 0 && roll < 0.65) {
      const agg = rand.pick(ctx.aggregates)
      const value = agg.fn === 'count' ? rand.int(0, 3) : agg.fn === 'exists' ? rand.chance(0.5) : this.value(this.aggregateColumn(ctx.table, agg))
      const op = agg.fn === 'exists' ? rand.pick(['=', '!='] as const) : rand.pick(COUNT_OPS)
      return { kind: 'aggregate', alias: agg.alias, op, value }
    }
    if (ctx.pivot && roll < 0.72) {
      // A null compares only with = and != (IS NULL / IS NOT NULL).
      if (rand.chance(0.15)) return { kind: 'pivot', op: rand.pick(['=', '!='] as const), value: null }
      return { kind: 'pivot', op: rand.pick(COUNT_OPS), value: this.value({ kind: 'integer' }) as number }
    }
    return this.leaf(ctx.table)
  }

  private has(ctx: PredContext): Pred | undefined {
    const { rand } = this
    const path = this.path(ctx.table, rand.int(1, Math.min(2, ctx.hasDepth)))
    if (path.length === 0) return undefined
    const last = path[path.length - 1]
    const rest = ctx.hasDepth - path.length
    const constraint = rand.chance(0.55)
      ? this.pred({ table: last.target, hasDepth: rest, pivot: last.kind === 'belongsToMany', aggregates: [] }, 1)
      : undefined
    const names = path.map((r) => r.name)
    const withTrashed = constraint && tableOf(this.spec, last.target).softDelete && rand.chance(0.3) ? true : undefined
    if (rand.chance(0.25)) return { kind: 'has', path: names, constraint, withTrashed, negate: true }
    if (rand.chance(0.5)) return { kind: 'has', path: names, constraint, withTrashed, negate: false }
    return { kind: 'has', path: names, constraint, withTrashed, op: rand.pick(COUNT_OPS), count: rand.int(0, 3), negate: false }
  }

  private aggregateColumn(table: string, agg: AggregateSpec): ColumnSpec {
    const r = relationOf(this.spec, table, agg.relation)
    return tableOf(this.spec, r.target).columns.find((c) => c.prop === agg.column)!
  }

  /** A random aggregate over a relation of `table`, named `agg<index>...` when constrained or aliased. */
  private aggregate(table: string, index: number): AggregateSpec | undefined {
    const { rand } = this
    const relations = relationsOf(this.spec, table)
    if (relations.length === 0) return undefined
    const r = rand.pick(relations)
    const target = tableOf(this.spec, r.target)
    const constraint = rand.chance(0.4) ? this.pred({ table: r.target, hasDepth: 1, pivot: r.kind === 'belongsToMany', aggregates: [] }, 1) : undefined
    const roll = rand.next()
    const fn: AggregateFn = roll < 0.55 ? 'count' : roll < 0.7 ? 'exists' : roll < 0.8 ? 'sum' : rand.pick(['min', 'max'])
    let column: string | undefined
    if (fn === 'sum' || fn === 'min' || fn === 'max') {
      const kinds = fn === 'sum' ? ['integer', 'decimal'] : ['integer', 'decimal', 'string', 'timestamp', 'id', 'fk']
      const options = target.columns.filter((c) => kinds.includes(c.kind) && c.prop !== 'deletedAt')
      if (options.length === 0) return undefined
      column = rand.pick(options).prop
    }
    const suffix = { count: 'Count', exists: 'Exists', sum: 'Sum', min: 'Min', max: 'Max' }[fn]
    const byDefault = `${r.name}${suffix}${column ? column[0].toUpperCase() + column.slice(1) : ''}`
    const as = constraint || rand.chance(0.2) ? `agg${index}${suffix}` : undefined
    return { fn, relation: r.name, column, constraint, as, alias: as ?? byDefault }
  }

  private order(table: string, extra: readonly string[], pivot: boolean): OrderSpec[] {
    const { rand } = this
    const names = [...this.columns(table).filter((c) => c.prop !== 'id').map((c) => c.prop), ...extra]
    const order: OrderSpec[] = []
    for (let i = rand.int(0, 2); i > 0; i--) {
      if (pivot && rand.chance(0.3)) order.push({ column: 'weight', direction: rand.pick(['asc', 'desc']), pivot: true })
      else order.push({ column: rand.pick(names), direction: rand.pick(['asc', 'desc']) })
    }
    // Always a unique tie-breaker last, so the expected order is fully determined.
    order.push({ column: 'id', direction: rand.pick(['asc', 'desc']) })
    return order
  }

  private constraint(r: RelationSpec): ConstraintSpec {
    const { rand } = this
    const target = tableOf(this.spec, r.target)
    const pivot = r.kind === 'belongsToMany'
    const where = rand.chance(0.6) ? this.pred({ table: r.target, hasDepth: 1, pivot, aggregates: [] }, 1) : undefined
    const limit = rand.chance(0.5) ? rand.int(0, 3) : undefined
    const offset = rand.chance(0.3) ? rand.int(0, 2) : undefined
    const select = rand.chance(0.15) ? rand.sample(target.columns.filter((c) => c.prop !== 'deletedAt').map((c) => c.prop), rand.int(1, 3)) : undefined
    const withTrashed = target.softDelete && rand.chance(0.2) ? true : undefined
    const counted = rand.chance(0.2) ? this.aggregate(r.target, 0) : undefined
    const aggregates = counted && (counted.fn === 'count' || counted.fn === 'exists') ? [counted] : undefined
    const toOne = relationsOf(this.spec, r.target).filter((x) => x.kind === 'belongsTo')
    const joins = toOne.length > 0 && rand.chance(0.15) ? [rand.pick(toOne).name] : undefined
    const nested = rand.chance(0.15) ? this.path(r.target, rand.int(1, 2)).map((x) => x.name) : []
    const order = this.order(r.target, aggregates?.map((a) => a.alias) ?? [], pivot)
    return { where, order, limit, offset, select, withTrashed, aggregates, joins, with: nested.length ? [nested] : undefined }
  }

  query(): QuerySpec {
    const { rand, spec } = this
    const root = rand.pick(spec.tables).key
    const aggregates: AggregateSpec[] = []
    for (let i = rand.int(0, 2); i > 0; i--) {
      const agg = this.aggregate(root, aggregates.length)
      if (agg && !aggregates.some((a) => a.alias === agg.alias)) aggregates.push(agg)
    }
    const where = rand.chance(0.85) ? this.pred({ table: root, hasDepth: 3, pivot: false, aggregates }) : undefined
    const eager: EagerSpec[] = []
    for (let i = rand.int(0, 2); i > 0; i--) {
      const path = this.path(root, rand.int(1, 3))
      if (path.length === 0) break
      const constraint = rand.chance(0.65) ? this.constraint(path[path.length - 1]) : undefined
      eager.push({ path: path.map((r) => r.name), constraint })
    }
    const toOne = relationsOf(spec, root).filter((r) => r.kind === 'belongsTo')
    const joins = toOne.length > 0 && rand.chance(0.2) ? [rand.pick(toOne).name] : []
    const columns = tableOf(spec, root).columns.map((c) => c.prop)
    const select = rand.chance(0.1) ? rand.sample(columns, rand.int(1, 3)) : undefined
    const order = this.order(root, aggregates.map((a) => a.alias), false)
    const limited = rand.chance(0.2)
    const limit = limited ? rand.int(0, 5) : undefined
    const offset = limited && rand.chance(0.5) ? rand.int(0, 3) : undefined
    return { root, select, joins, aggregates, where, eager, order, limit, offset }
  }
}
