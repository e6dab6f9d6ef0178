import type { Session } from '../driver/session.js'
import type { BelongsToManyRelation, MorphPivotRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta } from '../schema/table.js'
import { andAll, n, type ExprNode } from '../sql/ast.js'
import { chunk } from '../query/chunk.js'
import { readPlan, readRows } from '../query/row-reader.js'
import { columnOf, valueFor } from '../query/where.js'
import { keyOf } from './eager-load.js'

export type PivotRelation = BelongsToManyRelation | MorphPivotRelation

/** One link to write: the related row's key values and the extra pivot column values. */
export interface PivotEntry {
  readonly related: readonly unknown[]
  readonly values: Readonly<Record<string, unknown>>
}

const eq = (c: ColumnMeta, table: string, v: unknown) => n.binary(n.column(c.name, table), '=', valueFor(c, v))

/** The pivot rows of one parent: `pivot.pivotForeignKey = parent` (and the owner's morph type). */
export function parentPredicate(rel: PivotRelation, parent: readonly unknown[]): ExprNode {
  const table = rel.pivot.meta.name
  const parts = rel.pivotForeignKey.map((c, i) => eq(c, table, parent[i]))
  if (rel.kind !== 'belongsToMany') parts.push(eq(rel.morphType, table, rel.morphValue))
  return n.and(parts)
}

function relatedIn(rel: PivotRelation, related: readonly (readonly unknown[])[]): ExprNode {
  const table = rel.pivot.meta.name
  return n.in(
    rel.pivotRelatedKey.map((c) => n.column(c.name, table)),
    related.map((values) => values.map((v, i) => valueFor(rel.pivotRelatedKey[i], v))),
  )
}

/** The parent's current links: related key string -> pivot row (every pivot column, by property). */
export async function currentLinks(session: Session, rel: PivotRelation, parent: readonly unknown[], lock = false): Promise<Map<string, Record<string, unknown>>> {
  const meta = rel.pivot.meta
  const result = await session.run(
    n.select({
      from: n.table(meta.name),
      columns: meta.columns.map((c) => n.column(c.name, meta.name)),
      where: parentPredicate(rel, parent),
      lock: lock ? 'update' : undefined,
    }),
  )
  const rows = readRows<Record<string, unknown>>(result.rows, readPlan(session.core.dialect.codecs, meta.columns))
  return new Map(rows.map((row) => [keyOf(rel.pivotRelatedKey.map((c) => row[c.prop]))!, row]))
}

/** The pivot columns that identify a link; an insert that meets an existing link does nothing. */
function conflictColumns(rel: PivotRelation): ColumnMeta[] {
  const cols = [...rel.pivotForeignKey, ...rel.pivotRelatedKey, ...(rel.kind === 'belongsToMany' ? [] : [rel.morphType])]
  return cols
}

/**
 * Inserts links with an insert-ignore (ON CONFLICT DO NOTHING; ON DUPLICATE KEY UPDATE of a key to itself on MySQL):
 * a link that exists already is left as it is, pivot values included (no error, no duplicate).
 */
export async function insertLinks(session: Session, rel: PivotRelation, parent: readonly unknown[], entries: readonly PivotEntry[]): Promise<void> {
  if (entries.length === 0) return
  const meta = rel.pivot.meta
  const extra = new Set<string>()
  for (const e of entries) for (const prop of Object.keys(e.values)) extra.add(prop)
  const extraColumns = [...extra].map((p) => columnOf(meta, p))
  const keyColumns = conflictColumns(rel)
  const columns = [...keyColumns, ...extraColumns.filter((c) => !keyColumns.includes(c))]
  const rowValues = (e: PivotEntry) =>
    columns.map((c) => {
      const i = rel.pivotForeignKey.indexOf(c)
      if (i >= 0) return valueFor(c, parent[i])
      const j = rel.pivotRelatedKey.indexOf(c)
      if (j >= 0) return valueFor(c, e.related[j])
      if (rel.kind !== 'belongsToMany' && c === rel.morphType) return valueFor(c, rel.morphValue)
      const v = e.values[c.prop]
      return valueFor(c, v === undefined ? defaultOf(c) : v)
    })
  const size = Math.floor(session.core.capabilities.maxParameters / columns.length)
  for (const part of chunk(entries, size)) {
    await session.run({
      kind: 'Insert',
      table: n.table(meta.name),
      columns: columns.map((c) => c.name),
      rows: part.map(rowValues),
      onConflict: { columns: keyColumns.map((c) => c.name), update: [] },
    })
  }
}

function defaultOf(column: ColumnMeta): unknown {
  const def = column.config.default
  if (def && 'value' in def) return def.value
  return null
}

/** Deletes the parent's links to `related` (all of them when undefined). Returns how many went. */
export async function deleteLinks(session: Session, rel: PivotRelation, parent: readonly unknown[], related?: readonly (readonly unknown[])[]): Promise<number> {
  if (related && related.length === 0) return 0
  const where = andAll([parentPredicate(rel, parent), related ? relatedIn(rel, related) : undefined])
  const result = await session.run({ kind: 'Delete', table: n.table(rel.pivot.meta.name), where })
  return result.affectedRows
}

/** Updates the extra pivot columns of one link. Returns 1 or 0. */
export async function updateLink(session: Session, rel: PivotRelation, parent: readonly unknown[], related: readonly unknown[], values: Record<string, unknown>): Promise<number> {
  const meta = rel.pivot.meta
  const set = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([prop, v]) => {
      const c = columnOf(meta, prop)
      return { column: c.name, value: valueFor(c, v) }
    })
  if (set.length === 0) return 0
  const where = n.and([parentPredicate(rel, parent), relatedIn(rel, [related])])
  const result = await session.run({ kind: 'Update', table: n.table(meta.name), set, where })
  return result.affectedRows
}
