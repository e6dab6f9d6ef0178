import type { Dataset, Row } from './data.js'
import type { AggregateSpec, CmpOp, ConstraintSpec, EagerSpec, OrderSpec, Pred, QuerySpec } from './query.js'
import { isToMany, PIVOT_WEIGHT, relationOf, tableOf, type ColumnKind, type RelationSpec, type SchemaSpec } from './schema.js'

/** SQL's three-valued logic: true, false, or unknown (null). */
export type Tri = boolean | null

/** A related row, with the pivot row that links it (belongsToMany). */
interface Entry {
  readonly row: Row
  readonly pivot?: Row
}

interface Env {
  /** The pivot row of the row being tested, inside a query over a belongsToMany. */
  readonly pivot?: Row
  /** The aggregates of the root row, by alias. */
  readonly aggregates?: Readonly<Record<string, unknown>>
  readonly aggregateKinds?: Readonly<Record<string, ColumnKind>>
}

interface EagerNode {
  constraint?: ConstraintSpec
  children: Map<string, EagerNode>
}

/** Decimals as exact hundredths, so they compare and add without float error. */
function cents(value: string): bigint {
  const [whole, frac = ''] = value.split('.')
  const negative = whole.startsWith('-')
  const abs = BigInt(whole.replace('-', '')) * 100n + BigInt((frac + '00').slice(0, 2))
  return negative ? -abs : abs
}
function fromCents(value: bigint): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** Compares two non-null values of one kind: negative, zero or positive. */
export function compareValues(a: unknown, b: unknown, kind: ColumnKind): number {
  if (kind === 'decimal') {
    const d = cents(String(a)) - cents(String(b))
    return d < 0n ? -1 : d > 0n ? 1 : 0
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
  if (typeof a === 'boolean') return Number(a) - Number(b)
  if (typeof a === 'number') return a - (b as number)
  return a === b ? 0 : (a as string) < (b as string) ? -1 : 1
}

function like(value: string, pattern: string): boolean {
  const source = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')
  return new RegExp(`^${source}$`, 's').test(value)
}

function compare(v: unknown, op: CmpOp, target: unknown, kind: ColumnKind): Tri {
  if (v === null || v === undefined || target === null) return null
  if (op === 'like' || op === 'not like') return like(String(v), String(target)) === (op === 'like')
  const c = compareValues(v, target, kind)
  switch (op) {
    case '=': return c === 0
    case '!=': return c !== 0
    case '<': return c < 0
    case '<=': return c <= 0
    case '>': return c > 0
    case '>=': return c >= 0
  }
}

const and = (vs: Tri[]): Tri => (vs.includes(false) ? false : vs.includes(null) ? null : true)
const or = (vs: Tri[]): Tri => (vs.includes(true) ? true : vs.includes(null) ? null : false)
const not = (v: Tri): Tri => (v === null ? null : !v)

/**
 * A reference implementation of the query semantics in plain JS over the generated rows: SQL's three-valued
 * logic for where, has/whereHas counts over live related rows, the aggregates, eager loading with
 * constraints and per-parent limit/offset, NULL ordering (first ascending, last descending), joins and select.
 */
export class Oracle {
  constructor(
    readonly spec: SchemaSpec,
    readonly data: Dataset,
  ) {}

  private kind(table: string, column: string): ColumnKind {
    const c = tableOf(this.spec, table).columns.find((x) => x.prop === column)
    if (!c) throw new Error(`oracle: no column ${table}.${column}`)
    return c.kind
  }

  /** The rows a query sees: soft-deleted rows left out unless `withTrashed`. */
  rows(table: string, withTrashed = false): Row[] {
    const t = tableOf(this.spec, table)
    return t.softDelete && !withTrashed ? this.data[table].filter((r) => r.deletedAt === null) : this.data[table]
  }

  private byId(table: string, id: unknown, withTrashed: boolean): Row | undefined {
    return this.rows(table, withTrashed).find((r) => r.id === id)
  }

  /** The rows of relation `r` for one row, in key order. */
  related(r: RelationSpec, row: Row, withTrashed = false): Entry[] {
    switch (r.kind) {
      case 'hasMany':
      case 'hasOne':
        return this.rows(r.target, withTrashed).filter((x) => x[r.foreignKey] === row.id).map((x) => ({ row: x }))
      case 'belongsTo': {
        const target = row[r.foreignKey] === null ? undefined : this.byId(r.target, row[r.foreignKey], withTrashed)
        return target ? [{ row: target }] : []
      }
      case 'belongsToMany':
        return (this.data.links ?? [])
          .filter((p) => p[r.pivotForeignKey] === row.id)
          .flatMap((p) => {
            const target = this.byId(r.target, p[r.pivotRelatedKey], withTrashed)
            return target ? [{ row: target, pivot: p }] : []
          })
          .sort((a, b) => (a.row.id as number) - (b.row.id as number))
      case 'hasManyThrough': {
        // Rows reached through a soft-deleted middle row do not count.
        const middles = new Set(this.rows(r.through).filter((m) => m[r.throughForeignKey] === row.id).map((m) => m.id))
        return this.rows(r.target, withTrashed).filter((x) => middles.has(x[r.foreignKey])).map((x) => ({ row: x }))
      }
    }
  }

  pred(p: Pred, table: string, row: Row, env: Env = {}): Tri {
    switch (p.kind) {
      case 'cmp':
        return compare(row[p.column], p.op, p.value, this.kind(table, p.column))
      case 'in': {
        if (p.values.length === 0) return p.negate
        const v = row[p.column]
        if (v === null) return null
        const kind = this.kind(table, p.column)
        const found: Tri = p.values.some((x) => x !== null && compareValues(v, x, kind) === 0) ? true : p.values.includes(null) ? null : false
        return p.negate ? not(found) : found
      }
      case 'between': {
        const kind = this.kind(table, p.column)
        const inside = and([compare(row[p.column], '>=', p.range[0], kind), compare(row[p.column], '<=', p.range[1], kind)])
        return p.negate ? not(inside) : inside
      }
      case 'null':
        return (row[p.column] === null) !== p.negate
      case 'not':
        return not(this.pred(p.item, table, row, env))
      case 'and':
        return and(p.items.map((i) => this.pred(i, table, row, env)))
      case 'or':
        return or(p.items.map((i) => this.pred(i, table, row, env)))
      case 'has': {
        const found = this.has(table, row, p.path, p.constraint, p.withTrashed ?? false, p.op ?? '>=', p.count ?? 1)
        return p.negate ? !found : found
      }
      case 'aggregate': {
        return compare(env.aggregates![p.alias], p.op, p.value, env.aggregateKinds![p.alias])
      }
      case 'pivot':
        if (p.value === null) return p.op === '=' ? env.pivot![PIVOT_WEIGHT] === null : p.op === '!=' ? env.pivot![PIVOT_WEIGHT] !== null : null
        return compare(env.pivot![PIVOT_WEIGHT], p.op, p.value, 'integer')
    }
  }

  /** Every level but the last means "at least one"; the count and the constraint apply to the last. */
  private has(table: string, row: Row, path: readonly string[], constraint: Pred | undefined, withTrashed: boolean, op: CmpOp, count: number): boolean {
    const r = relationOf(this.spec, table, path[0])
    const entries = this.related(r, row, path.length === 1 && withTrashed)
    if (path.length > 1) return entries.some((e) => this.has(r.target, e.row, path.slice(1), constraint, withTrashed, op, count))
    const n = entries.filter((e) => !constraint || this.pred(constraint, r.target, e.row, { pivot: e.pivot }) === true).length
    return compare(n, op, count, 'integer') === true
  }

  /** The kind of an aggregate's value: a count is an integer, an exists a boolean, the others their column's. */
  aggregateKind(a: AggregateSpec, table: string): ColumnKind {
    if (a.fn === 'count') return 'integer'
    if (a.fn === 'exists') return 'boolean'
    return this.kind(relationOf(this.spec, table, a.relation).target, a.column!)
  }

  aggregate(a: AggregateSpec, table: string, row: Row): unknown {
    const r = relationOf(this.spec, table, a.relation)
    const rows = this.related(r, row)
      .filter((e) => !a.constraint || this.pred(a.constraint, r.target, e.row, { pivot: e.pivot }) === true)
      .map((e) => e.row)
    if (a.fn === 'count') return rows.length
    if (a.fn === 'exists') return rows.length > 0
    const kind = this.kind(r.target, a.column!)
    const values = rows.map((x) => x[a.column!]).filter((v) => v !== null)
    if (values.length === 0) return null
    if (a.fn === 'sum') return kind === 'decimal' ? fromCents(values.reduce((s: bigint, v) => s + cents(v as string), 0n)) : values.reduce((s: number, v) => s + (v as number), 0)
    const sorted = [...values].sort((x, y) => compareValues(x, y, kind))
    return a.fn === 'min' ? sorted[0] : sorted[sorted.length - 1]
  }

  /** Sorts by `order` (NULL first ascending, last descending), then by the key ascending. */
  private sort<T>(items: T[], order: readonly OrderSpec[], valueOf: (item: T, o: OrderSpec) => unknown, kindOf: (o: OrderSpec) => ColumnKind, key: (item: T) => number): T[] {
    return items.sort((x, y) => {
      for (const o of order) {
        const [a, b] = [valueOf(x, o), valueOf(y, o)]
        let c = 0
        if (a === null || b === null) c = a === b ? 0 : a === null ? -1 : 1
        else c = compareValues(a, b, kindOf(o))
        if (c !== 0) return o.direction === 'asc' ? c : -c
      }
      return key(x) - key(y)
    })
  }

  private project(row: Row, select: readonly string[] | undefined): Row {
    if (!select) return { ...row }
    return Object.fromEntries(select.map((c) => [c, row[c]]))
  }

  /** The tree of `with()` paths, as the loader merges them (a later constraint replaces an earlier one). */
  private tree(eager: readonly EagerSpec[], into = new Map<string, EagerNode>()): Map<string, EagerNode> {
    for (const e of eager) {
      let level = into
      e.path.forEach((name, i) => {
        const existing = level.get(name)
        const node: EagerNode = { constraint: existing?.constraint, children: new Map(existing?.children ?? []) }
        if (i === e.path.length - 1 && e.constraint) node.constraint = e.constraint
        level.set(name, node)
        level = node.children
      })
    }
    return into
  }

  /** A related row as a constraint shapes it: its aggregates, its joins, the columns it selected. */
  private shape(table: string, e: Entry, c: ConstraintSpec | undefined, aggregates: Record<string, unknown>): Row {
    const out: Row = { ...this.project(e.row, c?.select), ...aggregates }
    for (const name of c?.joins ?? []) {
      const [target] = this.related(relationOf(this.spec, table, name), e.row)
      out[name] = target ? { ...target.row } : null
    }
    return out
  }

  /** Loads `tree` onto `parents` (pairs of the output object and the source row). */
  private load(table: string, parents: readonly [Row, Row][], tree: Map<string, EagerNode>): void {
    for (const [name, node] of tree) {
      const r = relationOf(this.spec, table, name)
      const c = node.constraint
      for (const [out, src] of parents) {
        const kinds = Object.fromEntries((c?.aggregates ?? []).map((a) => [a.alias, this.aggregateKind(a, r.target)]))
        let entries = this.related(r, src, c?.withTrashed ?? false).map((e) => ({
          ...e,
          aggregates: Object.fromEntries((c?.aggregates ?? []).map((a) => [a.alias, this.aggregate(a, r.target, e.row)])),
        }))
        if (c?.where) entries = entries.filter((e) => this.pred(c.where!, r.target, e.row, { pivot: e.pivot }) === true)
        if (c) {
          const valueOf = (e: (typeof entries)[number], o: OrderSpec) => (o.pivot ? e.pivot![PIVOT_WEIGHT] : o.column in kinds ? e.aggregates[o.column] : e.row[o.column])
          entries = this.sort(entries, c.order, valueOf, (o) => (o.pivot ? 'integer' : (kinds[o.column] ?? this.kind(r.target, o.column))), (e) => e.row.id as number)
          const start = c.offset ?? 0
          entries = entries.slice(start, c.limit === undefined ? undefined : start + c.limit)
        }
        const children: [Row, Row][] = entries.map((e) => {
          const child = this.shape(r.target, e, c, e.aggregates)
          if (r.kind === 'belongsToMany') child.pivot = { [PIVOT_WEIGHT]: e.pivot![PIVOT_WEIGHT] }
          return [child, e.row]
        })
        const tree = c?.with ? this.tree(c.with.map((path) => ({ path })), new Map(node.children)) : node.children
        if (tree.size > 0) this.load(r.target, children, tree)
        out[name] = isToMany(r) ? children.map(([child]) => child) : (children[0]?.[0] ?? null)
      }
    }
  }

  /** The live rows of the root with their aggregates, and whether the where holds for each. */
  private candidates(q: QuerySpec): { row: Row; aggregates: Record<string, unknown>; match: Tri }[] {
    const aggregateKinds = this.aggregateKinds(q)
    return this.rows(q.root).map((row) => {
      const aggregates = Object.fromEntries(q.aggregates.map((a) => [a.alias, this.aggregate(a, q.root, row)]))
      return { row, aggregates, match: q.where ? this.pred(q.where, q.root, row, { aggregates, aggregateKinds }) : true }
    })
  }

  private aggregateKinds(q: QuerySpec): Record<string, ColumnKind> {
    return Object.fromEntries(q.aggregates.map((a) => [a.alias, this.aggregateKind(a, q.root)]))
  }

  /** What `get()` returns. */
  get(q: QuerySpec): Row[] {
    const matched = this.candidates(q).filter((c) => c.match === true)
    const kinds = this.aggregateKinds(q)
    this.sort(matched, q.order, (c, o) => (o.column in kinds ? c.aggregates[o.column] : c.row[o.column]), (o) => kinds[o.column] ?? this.kind(q.root, o.column), (c) => c.row.id as number)
    const start = q.offset ?? 0
    const page = matched.slice(start, q.limit === undefined ? undefined : start + q.limit)
    const pairs = page.map((c): [Row, Row] => [this.shape(q.root, c, { select: q.select, joins: q.joins, order: [] }, c.aggregates), c.row])
    this.load(q.root, pairs, this.tree(q.eager))
    return pairs.map(([out]) => out)
  }

  /** What `count()` returns (limit and offset apply). */
  count(q: QuerySpec): number {
    const n = this.candidates(q).filter((c) => c.match === true).length
    const start = Math.min(q.offset ?? 0, n)
    return q.limit === undefined ? n - start : Math.min(q.limit, n - start)
  }

  /** The ids (ascending) where the where is true, false and unknown. */
  partition(q: QuerySpec): { yes: number[]; no: number[]; unknown: number[] } {
    const out = { yes: [] as number[], no: [] as number[], unknown: [] as number[] }
    for (const c of this.candidates(q)) (c.match === true ? out.yes : c.match === false ? out.no : out.unknown).push(c.row.id as number)
    return out
  }
}
