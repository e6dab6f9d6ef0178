import { andAll, n, type ExprNode, type JoinNode, type OrderNode, type SelectNode } from '../sql/ast.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { ColumnMeta } from '../schema/table.js'
import { chunk } from '../query/chunk.js'
import type { QueryContext } from '../query/context.js'
import { keyString } from '../query/keys.js'
import type { Codecs } from '../driver/codecs.js'
import { readPlan, readRows, decoderOf } from '../query/row-reader.js'
import type { EagerNode, EagerTree } from './eager-tree.js'
import { linkContext } from './filters.js'
import { linksOf, relationOf, type RelationLink } from './links.js'

type Values = Record<string, unknown>

/** What the eager loader needs from a constrained query over a relation's target. */
export interface EagerQuery {
  eagerParts(): {
    columns: readonly ColumnMeta[]
    where?: ExprNode
    order: SelectNode['orderBy']
    limit?: number
    offset?: number
    tree: EagerTree
    /** Aggregates and joined relations the constraint asked for, with their joins and reader. */
    extras: readonly ExprNode[]
    joins: readonly JoinNode[]
    decodeExtras(rows: Values[], raw: readonly unknown[], width: number): void
  }
}
export type MakeEagerQuery = (ctx: QueryContext) => EagerQuery

/** Key values compare as the database returns them: numbers, bigints and numeric strings alike. */
export function keyOf(values: readonly unknown[]): string | undefined {
  if (values.length === 1) {
    // The common one-column key, without the arrays below (this runs once per row loaded); the same string.
    const v = values[0]
    if (v === null || v === undefined) return undefined
    if (typeof v === 'number' || typeof v === 'bigint') return `"${v}"`
    if (typeof v === 'string') return JSON.stringify(v)
  }
  if (values.some((v) => v === null || v === undefined)) return undefined
  return keyString(values.map((v) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v instanceof Date ? v.getTime() : v)))
}

/**
 * A match key as a Map key, in the same classes as `keyOf` (a number and its decimal text alike): a one-column
 * key that is a number, or a bigint or text that reads back as the same number, is that number, so the
 * common integer key is compared without building a string per row.
 */
type MatchKey = number | string | undefined

function matchKeyOf(values: readonly unknown[]): MatchKey {
  return values.length === 1 ? singleKey(values[0]) : keyOf(values)
}

function singleKey(value: unknown): MatchKey {
  if (typeof value === 'number') return value
  if (typeof value !== 'string' && typeof value !== 'bigint') return value == null ? undefined : keyOf([value])
  const text = String(value)
  const number = Number(text)
  return String(number) === text ? number : JSON.stringify(text)
}

/**
 * Loads every relation of `tree` onto `parents`: one statement per relation level (per target table for a
 * morphTo), key lists split by the parameter limit, rows in the order asked for, to-one as row or null and
 * to-many as an array.
 */
export async function loadTree(ctx: QueryContext, parents: readonly Values[], tree: EagerTree, make: MakeEagerQuery): Promise<void> {
  if (parents.length === 0) return
  for (const [name, node] of tree) await loadRelation(ctx, parents, name, node, make)
}

/**
 * Runs the constraint callbacks of a tree on throwaway builders, so a bad name in one (a pivot column, say) is
 * an error when `with()` is called, before any statement is sent. Builders are immutable: nothing is kept.
 */
export function checkTree(ctx: QueryContext, tree: EagerTree, make: MakeEagerQuery): void {
  for (const [name, node] of tree) {
    const relation = relationOf(ctx.schema, ctx.tableKey, name)
    for (const link of linksOf(ctx.schema, relation)) {
      const childCtx = linkContext(ctx, link, link.targetMeta.name)
      let query = make(childCtx)
      if (node.constraint) query = node.constraint(query) ?? query
      const children = mergeTrees(node.children, query.eagerParts().tree)
      if (children.size > 0) checkTree({ ...childCtx, pivot: undefined }, children, make)
    }
  }
}

async function loadRelation(ctx: QueryContext, parents: readonly Values[], name: string, node: EagerNode, make: MakeEagerQuery) {
  const relation = relationOf(ctx.schema, ctx.tableKey, name)
  for (const parent of parents) parent[name] = relation.many ? [] : null
  for (const link of linksOf(ctx.schema, relation)) {
    const byKey = parentsByKey(link, parents)
    if (byKey.size === 0) continue
    const keys = [...byKey.values()].map((list) => link.parentKey.map((c) => list[0][c.prop]))
    const { rows, matches, childCtx, tree, strip } = await fetch(ctx, link, keys, node, make)
    attach(rows, matches, byKey, name, relation.many)
    const merged = mergeTrees(node.children, tree)
    if (merged.size > 0) await loadTree(childCtx, rows, merged, make)
    if (strip.length) rows.forEach((row) => strip.forEach((c) => delete row[c.prop]))
  }
}

/** The parents a link loads for (a morphTo's of its type only), by match key; parents without a key are left out. */
function parentsByKey(link: RelationLink, parents: readonly Values[]): Map<MatchKey, Values[]> {
  const type = link.parentType
  const byKey = new Map<MatchKey, Values[]>()
  for (const parent of parents) {
    if (type && parent[type.column.prop] !== type.value) continue
    const key = matchKeyOf(link.parentKey.map((c) => parent[c.prop]))
    if (key === undefined) continue
    const list = byKey.get(key)
    if (list) list.push(parent)
    else byKey.set(key, [parent])
  }
  return byKey
}

/** Puts each row on the parents of its match key: appended to a to-many list, the first one for a to-one. */
function attach(rows: readonly Values[], matches: readonly MatchKey[], byKey: ReadonlyMap<MatchKey, Values[]>, name: string, many: boolean) {
  for (let i = 0; i < rows.length; i++) {
    const owners = byKey.get(matches[i])
    if (!owners) continue
    for (const parent of owners) {
      if (many) (parent[name] as Values[]).push(rows[i])
      else if (parent[name] === null) parent[name] = rows[i]
    }
  }
}

/** The columns of `tableKey` the loader matches the relations of `tree` on (keys, and a morphTo's type column). */
export function matchKeys(schema: AnySchema, tableKey: string, tree: EagerTree): Set<ColumnMeta> {
  const keys = new Set<ColumnMeta>()
  for (const name of tree.keys()) {
    for (const link of linksOf(schema, relationOf(schema, tableKey, name))) {
      link.parentKey.forEach((c) => keys.add(c))
      if (link.parentType) keys.add(link.parentType.column)
    }
  }
  return keys
}

function mergeTrees(a: EagerTree, b: EagerTree): EagerTree {
  if (b.size === 0) return a
  if (a.size === 0) return b
  const out = new Map(a)
  for (const [name, node] of b) {
    const existing = out.get(name)
    out.set(name, existing ? { constraint: node.constraint ?? existing.constraint, children: mergeTrees(existing.children, node.children) } : node)
  }
  return out
}

/** Reads the related rows of `keys` for one link, with each row's match key, in the constraint's order. */
async function fetch(ctx: QueryContext, link: RelationLink, keys: unknown[][], node: EagerNode, make: MakeEagerQuery) {
  const alias = link.targetMeta.name
  const childCtx = linkContext(ctx, link, alias)
  let query = make(childCtx)
  if (node.constraint) query = node.constraint(query) ?? query
  const parts = query.eagerParts()
  const { session } = ctx
  const codecs = session.core.dialect.codecs
  const caps = session.core.capabilities

  // The columns asked for, plus every key a match or a nested load needs.
  const needed = new Set<ColumnMeta>(parts.columns)
  for (const c of link.targetMeta.primaryKey.map((p) => link.targetMeta.byProp.get(p)!)) needed.add(c)
  for (const c of matchKeys(ctx.schema, link.target, mergeTrees(node.children, parts.tree))) needed.add(c)
  const columns = link.targetMeta.columns.filter((c) => needed.has(c))
  const match = link.match(alias)
  // A match expression that is a selected column of the target (hasMany's foreign key) is read from the row;
  // the others (a pivot's or a through table's column) are selected once more as orm_m<i>.
  const matchProps = match.map((m) => (m.kind === 'Column' && m.table === alias ? columns.find((c) => c.name === m.column)?.prop : undefined))
  const extraMatch = match.map((m, i) => ({ m, i })).filter(({ i }) => matchProps[i] === undefined)
  const pivotColumns = link.pivot?.columns ?? []
  const pivotAlias = link.pivot?.alias(alias) ?? ''
  const selectList: ExprNode[] = [
    ...columns.map((c) => n.column(c.name, alias)),
    ...extraMatch.map(({ m, i }) => n.alias(m, `orm_m${i}`)),
    ...pivotColumns.map((c, i) => n.alias(n.column(c.name, pivotAlias), `orm_p${i}`)),
    // Joined columns get names of their own: a per-parent limit reads this list from a derived table, where
    // MySQL and MariaDB refuse two columns of one name (the target's `id` and the joined row's).
    ...parts.extras.map((e, i) => (e.kind === 'Alias' ? e : n.alias(e, `orm_x${i}`))),
  ]
  const extrasAt = columns.length + extraMatch.length + pivotColumns.length
  const isPivot = link.pivot !== undefined
  const pk = keyOrder(link, alias)
  const perParent = parts.limit !== undefined || (parts.offset ?? 0) > 0
  // Only the order within each parent's rows matters. Leading with the match key lets an index on it (the
  // foreign key's, the pivot's primary key) give the rows in order without a sort.
  const order = withoutRepeats([...(perParent ? [] : match.map((m) => n.order(m, 'asc'))), ...(parts.order ?? []), ...pk])
  const plan = readPlan(codecs, columns)
  const pivotPlan = isPivot ? readPlan(codecs, pivotColumns) : undefined
  const pivotAt = columns.length + extraMatch.length
  const keyAt = matchReader(codecs, link, matchProps, columns.length)

  const rows: Values[] = []
  const matches: MatchKey[] = []
  const width = Math.max(1, link.parentKey.length)
  const reserve = Math.min(500, Math.floor(caps.maxParameters / 2))
  for (const part of chunk(keys, Math.floor((caps.maxParameters - reserve) / width))) {
    const inKeys = n.in(match, part.map((values) => values.map((v, i) => n.value(v, link.parentKey[i].kind))))
    const where = andAll([inKeys, ...link.conditions(alias), parts.where])
    let node: SelectNode = n.select({ from: n.table(link.targetMeta.name, alias), joins: [...link.joins(alias), ...parts.joins], columns: selectList, where, orderBy: order })
    if (perParent) {
      const ranked = n.select({ ...node, columns: [...selectList, n.alias({ kind: 'RowNumber', partitionBy: match, orderBy: order }, 'orm_rn')], orderBy: [] })
      const rn = n.column('orm_rn', 'orm_ranked')
      const offset = parts.offset ?? 0
      const bounds: ExprNode[] = [n.binary(rn, '>', n.value(offset, 'integer'))]
      if (parts.limit !== undefined) bounds.push(n.binary(rn, '<=', n.value(offset + parts.limit, 'integer')))
      node = n.select({ from: { kind: 'DerivedTable', query: ranked, alias: 'orm_ranked' }, columns: [n.star()], where: n.and(bounds), orderBy: [n.order(rn, 'asc')] })
    }
    const result = await session.run(node)
    const read = readRows<Values>(result.rows, plan)
    for (let r = 0; r < read.length; r++) {
      const values = result.rows[r] as unknown[]
      const row = read[r]
      matches.push(keyAt(row, values))
      if (pivotPlan) row.pivot = pivotPlan.read(values, pivotAt)
      rows.push(row)
    }
    if (parts.extras.length) parts.decodeExtras(read, result.rows, extrasAt)
  }
  // Key columns only added for matching are dropped after the nested loads, so a row has what select() asked for.
  const strip = columns.filter((c) => !parts.columns.includes(c))
  return { rows, matches, childCtx: { ...childCtx, pivot: undefined }, tree: parts.tree, strip }
}

/**
 * The target's primary key, ascending: the tie-breaker of every child order. Over a pivot whose related key is
 * that primary key, the pivot's column is ordered by instead (equal through the join): with the match key
 * before it, the pivot's own primary key gives that order without a sort.
 */
function keyOrder(link: RelationLink, alias: string): OrderNode[] {
  const meta = link.targetMeta
  const relation = link.relation
  const viaPivot =
    link.pivot !== undefined &&
    'pivotRelatedKey' in relation &&
    relation.relatedKey.length === meta.primaryKey.length &&
    relation.relatedKey.every((c, i) => c.prop === meta.primaryKey[i])
  if (viaPivot) return relation.pivotRelatedKey.map((c) => n.order(n.column(c.name, link.pivot!.alias(alias)), 'asc'))
  return meta.primaryKey.map((p) => n.order(n.column(meta.byProp.get(p)!.name, alias), 'asc'))
}

/** An order without the terms over a column that an earlier term already orders by (they change nothing). */
function withoutRepeats(order: readonly OrderNode[]): OrderNode[] {
  const seen = new Set<string>()
  return order.filter((o) => {
    if (o.expr.kind !== 'Column') return true
    const key = `${o.expr.table ?? ''}.${o.expr.column}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * How to read a fetched row's match key: a column of the row itself (hasMany's foreign key), or the values
 * selected as orm_m<i> after the row's columns, decoded like the parent key they equal.
 */
function matchReader(codecs: Codecs, link: RelationLink, matchProps: readonly (string | undefined)[], extraAt: number) {
  const [prop] = matchProps
  if (matchProps.length === 1 && prop !== undefined) return (row: Values) => singleKey(row[prop])
  const decoders = link.parentKey.map((c) => decoderOf(codecs, c))
  return (row: Values, values: readonly unknown[]): MatchKey => {
    let extra = extraAt
    return matchKeyOf(matchProps.map((p, i) => (p !== undefined ? row[p] : decode(decoders[i], values[extra++]))))
  }
}

function decode(decoder: ((v: unknown) => unknown) | undefined, value: unknown): unknown {
  return value === null || value === undefined ? null : decoder ? decoder(value) : value
}
