import { ValidationError } from '../errors.js'
import { runTransaction } from '../driver/transaction.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { HasRelation, MorphOneRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta } from '../schema/table.js'
import { andAll, n, type ExprNode } from '../sql/ast.js'
import { chunk } from '../query/chunk.js'
import { scopeOf, type QueryContext } from '../query/context.js'
import { keyPredicate, keyValues } from '../query/keys.js'
import { deleteWhere, selectByKeys } from '../query/mutations.js'
import { readPlan, readRows } from '../query/row-reader.js'
import { valueFor } from '../query/where.js'
import { keyOf } from './eager-load.js'
import type { EagerTree } from './eager-tree.js'
import { HAS_KINDS, PIVOT_KINDS, pathTree, type Values } from './graph-plan.js'
import { relationOf } from './links.js'
import type { PivotRelation } from './pivot-writes.js'

/**
 * `db.users.delete(row, { with })`: the named relations' rows first, deepest first (soft where their table
 * soft-deletes, unless `force`), the pivot links of pivot relations (their rows stay), then the row.
 * One transaction. Returns how many rows of the table itself went (1 or 0).
 */
export async function deleteGraph(ctx: QueryContext, keyOrRow: unknown, paths: readonly string[], force: boolean): Promise<number> {
  const tree = pathTree(ctx.schema, ctx.tableKey, paths, 'delete({ with })')!
  checkTree(ctx.schema, ctx.tableKey, tree)
  const key = keyValues(ctx.meta, keyOrRow)
  return runTransaction(ctx.session, (s) => s, async (session) => {
    const c: QueryContext = { ...ctx, session }
    // The row as given (a key is enough when the relations hang off the primary key); read only when a key is missing.
    let row: Values | undefined = isRow(keyOrRow) ? keyOrRow : Object.fromEntries(ctx.meta.primaryKey.map((p, i) => [p, key[i]]))
    const needed = [...tree.keys()].flatMap((name) => parentKeyOf(relationOf(ctx.schema, ctx.tableKey, name)))
    if (needed.some((column) => row![column.prop] === undefined)) {
      row = [...(await selectByKeys(c, session, [key])).values()][0]
      if (!row) return 0
    }
    await deleteBelow(c, [row], tree, force)
    return deleteWhere(c, keyPredicate(scopeOf(c), key), force)
  })
}

/** Only has-relations (any depth) and pivot relations (their links, as a last segment) can be deleted with a row. */
function checkTree(schema: AnySchema, tableKey: string, tree: EagerTree): void {
  for (const [name, node] of tree) {
    const relation = relationOf(schema, tableKey, name)
    const where = `delete({ with }): ${relation.table}.${relation.name}`
    if (PIVOT_KINDS.has(relation.kind)) {
      if (node.children.size) throw new ValidationError(`${where} is a ${relation.kind} relation: its links are removed and its rows stay, so nothing under it is deleted.`)
      continue
    }
    if (!HAS_KINDS.has(relation.kind)) {
      throw new ValidationError(
        `${where} is a ${relation.kind} relation; only hasOne, hasMany, morphOne, morphMany (rows deleted) and pivot relations (links removed) can be deleted with a row.`,
      )
    }
    checkTree(schema, (relation as HasRelation).target, node.children)
  }
}

function parentKeyOf(relation: ReturnType<typeof relationOf>): readonly ColumnMeta[] {
  return PIVOT_KINDS.has(relation.kind) ? (relation as PivotRelation).parentKey : (relation as HasRelation).localKey
}

async function deleteBelow(ctx: QueryContext, parents: readonly Values[], tree: EagerTree, force: boolean): Promise<void> {
  const { session, schema } = ctx
  for (const [name, node] of tree) {
    const relation = relationOf(schema, ctx.tableKey, name)
    const keys = distinctKeys(parents, parentKeyOf(relation))
    if (keys.length === 0) continue
    if (PIVOT_KINDS.has(relation.kind)) {
      const rel = relation as PivotRelation
      const table = rel.pivot.meta.name
      const morph = rel.kind === 'belongsToMany' ? undefined : eq(rel.morphType, table, rel.morphValue)
      for (const where of keyChunks(ctx, rel.pivotForeignKey, table, keys, morph)) await session.run({ kind: 'Delete', table: n.table(table), where })
      continue
    }
    const rel = relation as HasRelation | MorphOneRelation
    const meta = schema.meta.tables.get(rel.target)!
    const target: QueryContext = { session, schema, tableKey: rel.target, meta }
    const morph = rel.kind === 'morphOne' || rel.kind === 'morphMany' ? eq(rel.morphType, meta.name, rel.morphValue) : undefined
    const wheres = keyChunks(ctx, rel.foreignKey, meta.name, keys, morph)
    if (node.children.size) {
      const live = meta.softDelete && !force ? n.isNull(n.column(meta.softDelete.name, meta.name)) : undefined
      const plan = readPlan(session.core.dialect.codecs, meta.columns)
      const rows: Values[] = []
      for (const where of wheres) {
        const result = await session.run(n.select({ from: n.table(meta.name), columns: meta.columns.map((c) => n.column(c.name, meta.name)), where: andAll([where, live]) }))
        rows.push(...readRows<Values>(result.rows, plan))
      }
      await deleteBelow(target, rows, node.children, force)
    }
    for (const where of wheres) await deleteWhere(target, where, force)
  }
}

function isRow(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)
}

function distinctKeys(rows: readonly Values[], columns: readonly ColumnMeta[]): unknown[][] {
  const seen = new Map<string, unknown[]>()
  for (const row of rows) {
    const values = columns.map((c) => row[c.prop])
    const key = keyOf(values)
    if (key !== undefined) seen.set(key, values)
  }
  return [...seen.values()]
}

const eq = (column: ColumnMeta, table: string, value: unknown) => n.binary(n.column(column.name, table), '=', valueFor(column, value))

/** `columns IN (keys)` (and the morph condition), split to fit the dialect's parameter limit. */
function keyChunks(ctx: QueryContext, columns: readonly ColumnMeta[], table: string, keys: unknown[][], extra: ExprNode | undefined): ExprNode[] {
  const size = Math.max(1, Math.floor((ctx.session.core.capabilities.maxParameters - 1) / columns.length))
  return chunk(keys, size).map((part) =>
    andAll([n.in(columns.map((c) => n.column(c.name, table)), part.map((values) => values.map((v, i) => valueFor(columns[i], v)))), extra])!,
  )
}
