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

/** One pivot row of one parent: the parent's key values with the link to write. */
export interface PivotLink extends PivotEntry {
  readonly parent: readonly unknown[]
}

const eq = (c: ColumnMeta, table: string, v: unknown) => n.binary(n.column(c.name, table), '=', valueFor(c, v))
const tuples = (columns: readonly ColumnMeta[], keys: readonly (readonly unknown[])[]) => keys.map((values) => values.map((v, i) => valueFor(columns[i], v)))
const columnsOf = (rel: PivotRelation, columns: readonly ColumnMeta[]) => columns.map((c) => n.column(c.name, rel.pivot.meta.name))

/** The morph type guard of a polymorphic pivot (none for belongsToMany). */
function morphGuard(rel: PivotRelation): ExprNode | undefined {
  return rel.kind === 'belongsToMany' ? undefined : eq(rel.morphType, rel.pivot.meta.name, rel.morphValue)
}

/** The pivot rows of these parents: `pivot.pivotForeignKey IN (parents)` (and the owner's morph type). */
function parentsIn(rel: PivotRelation, parents: readonly (readonly unknown[])[]): ExprNode {
  return n.in(columnsOf(rel, rel.pivotForeignKey), tuples(rel.pivotForeignKey, parents))
}

function relatedIn(rel: PivotRelation, related: readonly (readonly unknown[])[]): ExprNode {
  return n.in(columnsOf(rel, rel.pivotRelatedKey), tuples(rel.pivotRelatedKey, related))
}

/** How many keys of `width` values fit in one statement, leaving room for `reserved` other values. */
function perStatement(session: Session, width: number, reserved = 0): number {
  return Math.max(1, Math.floor((session.core.capabilities.maxParameters - reserved - 1) / Math.max(1, width)))
}

/**
 * The current links of these parents, read in one statement (per parameter-limit chunk):
 * parent key string -> related key string -> pivot row (every pivot column, by property).
 */
export async function currentLinks(
  session: Session,
  rel: PivotRelation,
  parents: readonly (readonly unknown[])[],
  lock = false,
): Promise<Map<string, Map<string, Record<string, unknown>>>> {
  const meta = rel.pivot.meta
  const plan = readPlan(session.core.dialect.codecs, meta.columns)
  const byParent = new Map<string, Map<string, Record<string, unknown>>>(parents.map((p) => [keyOf(p)!, new Map()]))
  for (const part of chunk(parents, perStatement(session, rel.pivotForeignKey.length))) {
    const result = await session.run(
      n.select({
        from: n.table(meta.name),
        columns: meta.columns.map((c) => n.column(c.name, meta.name)),
        where: andAll([parentsIn(rel, part), morphGuard(rel)]),
        lock: lock ? 'update' : undefined,
      }),
    )
    for (const row of readRows<Record<string, unknown>>(result.rows, plan)) {
      const links = byParent.get(keyOf(rel.pivotForeignKey.map((c) => row[c.prop]))!)
      links?.set(keyOf(rel.pivotRelatedKey.map((c) => row[c.prop]))!, row)
    }
  }
  return byParent
}

/** The pivot columns that identify a link; an insert that meets an existing link does nothing. */
function conflictColumns(rel: PivotRelation): ColumnMeta[] {
  return [...rel.pivotForeignKey, ...rel.pivotRelatedKey, ...(rel.kind === 'belongsToMany' ? [] : [rel.morphType])]
}

/**
 * Inserts links, of one parent or many, in one multi-row statement per parameter-limit chunk, with an
 * insert-ignore (ON CONFLICT DO NOTHING; ON DUPLICATE KEY UPDATE of a key to itself on MySQL): a link that
 * exists already is left as it is, pivot values included (no error, no duplicate).
 */
export async function insertLinks(session: Session, rel: PivotRelation, links: readonly PivotLink[]): Promise<void> {
  if (links.length === 0) return
  const meta = rel.pivot.meta
  const extra = new Set<string>()
  for (const link of links) for (const prop of Object.keys(link.values)) extra.add(prop)
  const extraColumns = [...extra].map((p) => columnOf(meta, p))
  const keyColumns = conflictColumns(rel)
  const columns = [...keyColumns, ...extraColumns.filter((c) => !keyColumns.includes(c))]
  const rowValues = (link: PivotLink) =>
    columns.map((c) => {
      const i = rel.pivotForeignKey.indexOf(c)
      if (i >= 0) return valueFor(c, link.parent[i])
      const j = rel.pivotRelatedKey.indexOf(c)
      if (j >= 0) return valueFor(c, link.related[j])
      if (rel.kind !== 'belongsToMany' && c === rel.morphType) return valueFor(c, rel.morphValue)
      const v = link.values[c.prop]
      return valueFor(c, v === undefined ? defaultOf(c) : v)
    })
  for (const part of chunk(links, perStatement(session, columns.length))) {
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

/**
 * Deletes the links of these parents to `related` (all their links when undefined), one statement per
 * parameter-limit chunk. Returns how many went.
 */
export async function deleteLinks(
  session: Session,
  rel: PivotRelation,
  parents: readonly (readonly unknown[])[],
  related?: readonly (readonly unknown[])[],
): Promise<number> {
  if (parents.length === 0 || (related && related.length === 0)) return 0
  const relatedParts = related ? chunk(related, perStatement(session, rel.pivotRelatedKey.length) >> 1) : [undefined]
  let total = 0
  for (const relatedPart of relatedParts) {
    const reserved = (relatedPart?.length ?? 0) * rel.pivotRelatedKey.length
    for (const part of chunk(parents, perStatement(session, rel.pivotForeignKey.length, reserved))) {
      const where = andAll([parentsIn(rel, part), relatedPart ? relatedIn(rel, relatedPart) : undefined, morphGuard(rel)])
      total += (await session.run({ kind: 'Delete', table: n.table(rel.pivot.meta.name), where })).affectedRows
    }
  }
  return total
}

/** Deletes exactly these links (each its own parent and related key), one statement per parameter-limit chunk. */
export async function deletePairs(session: Session, rel: PivotRelation, links: readonly Omit<PivotLink, 'values'>[]): Promise<number> {
  if (links.length === 0) return 0
  const columns = [...rel.pivotForeignKey, ...rel.pivotRelatedKey]
  let total = 0
  for (const part of chunk(links, perStatement(session, columns.length))) {
    const where = andAll([n.in(columnsOf(rel, columns), tuples(columns, part.map((l) => [...l.parent, ...l.related]))), morphGuard(rel)])
    total += (await session.run({ kind: 'Delete', table: n.table(rel.pivot.meta.name), where })).affectedRows
  }
  return total
}

/** A parent's links as a sync leaves them: those it deletes and those it keeps (together, every link it has). */
export interface LinkChanges {
  readonly parent: readonly unknown[]
  readonly detach: readonly (readonly unknown[])[]
  readonly keep: readonly (readonly unknown[])[]
}

/**
 * Kept links in one `NOT IN` at the most: PostgreSQL tests each row against every one of them in turn (a row-value
 * list is not hashed), so the delete by parent is used only while that stays small.
 */
const MAX_KEPT = 100

/**
 * Deletes the links `detach` of each parent, given all of its links, read under the parents' locks (so no other
 * pivot write changes them before this statement). When no more links stay than go, and few stay (MAX_KEPT), it
 * deletes by parent: every link of the parents but the kept ones, `fk IN (parents) AND (fk, rk) NOT IN (kept)`,
 * only `fk IN (parents)` when every link goes. Otherwise by pair (deletePairs). The pairs are the costly form on
 * MariaDB: its range optimizer weighs `(fk, rk) IN (pairs)` on both the pivot's primary key and the related key's
 * index, about 3 ms for 150 pairs, against 0.3 ms for the 50 parents' keys (PostgreSQL: 0.7 against 0.2 ms).
 */
export async function deleteDetached(session: Session, rel: PivotRelation, changes: readonly LinkChanges[]): Promise<number> {
  const going = changes.filter((c) => c.detach.length > 0)
  const kept = going.flatMap((c) => c.keep.map((related) => [...c.parent, ...related]))
  const detached = going.reduce((sum, c) => sum + c.detach.length, 0)
  // NOT IN with a NULL in its list matches nothing.
  if (going.length === 0 || kept.length > detached || kept.length > MAX_KEPT || kept.some((key) => key.some((v) => v === null || v === undefined))) {
    return deletePairs(session, rel, going.flatMap((c) => c.detach.map((related) => ({ parent: c.parent, related }))))
  }
  const columns = [...rel.pivotForeignKey, ...rel.pivotRelatedKey]
  const keptOf = new Map(going.map((c) => [c.parent, c.keep.map((related) => [...c.parent, ...related])]))
  let total = 0
  // reserved: room for all the kept links and the morph type, whichever parents a statement takes
  for (const part of chunk(going, perStatement(session, rel.pivotForeignKey.length, kept.length * columns.length + 1))) {
    const keep = part.flatMap((c) => keptOf.get(c.parent)!)
    const where = andAll([
      parentsIn(rel, part.map((c) => c.parent)),
      keep.length ? n.in(columnsOf(rel, columns), tuples(columns, keep), true) : undefined,
      morphGuard(rel),
    ])
    total += (await session.run({ kind: 'Delete', table: n.table(rel.pivot.meta.name), where })).affectedRows
  }
  return total
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
  const where = andAll([parentsIn(rel, [parent]), relatedIn(rel, [related]), morphGuard(rel)])
  const result = await session.run({ kind: 'Update', table: n.table(meta.name), set, where })
  return result.affectedRows
}
