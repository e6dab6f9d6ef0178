import { runTransaction } from '../driver/transaction.js'
import type { QueryContext } from '../query/context.js'
import { keyValues } from '../query/keys.js'
import { checkGraph, checkOptions, pathTree, type Values } from './graph-plan.js'
import { GraphWriter } from './graph-write.js'

export interface SaveOptions {
  /** The relations (dot paths) to upsert; the others are not touched. */
  readonly with?: readonly string[]
}

/**
 * `db.users.save(row, { with })`: updates the row by its key and upserts the named relations (GORM's
 * FullSaveAssociations): rows with a key are updated (and re-pointed), rows without are inserted, pivot
 * targets given by key are attached. One transaction.
 */
export async function saveGraph(ctx: QueryContext, row: Values, options: SaveOptions = {}): Promise<Values> {
  checkOptions(options, 'save', ['with'])
  const sel = { only: pathTree(ctx.schema, ctx.tableKey, options.with ?? [], 'save({ with })') }
  checkGraph(ctx.schema, ctx.tableKey, row, sel)
  keyValues(ctx.meta, row)
  const [saved] = await runTransaction(ctx.session, (s) => s, (s) => new GraphWriter(s, ctx.schema, 'save').write(ctx.tableKey, [row], sel, 'update'))
  return saved
}
