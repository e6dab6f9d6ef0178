import { runTransaction } from '../driver/transaction.js'
import type { QueryContext } from '../query/context.js'
import { checkGraph, checkOptions, pathTree, type Selection, type Values } from './graph-plan.js'
import { GraphWriter } from './graph-write.js'

export interface CreateOptions {
  /** Relations (dot paths) not to write, with everything under them (GORM's Omit). */
  readonly omit?: readonly string[]
  /** The only relations (dot paths, prefixes implied) to write. */
  readonly only?: readonly string[]
}

/**
 * `db.users.create(input)`: the row and every relation present in the input, nested to any depth, in one
 * transaction (a savepoint inside one). The whole input is checked before the first statement.
 */
export async function createGraph(ctx: QueryContext, inputs: readonly Values[], options: CreateOptions = {}): Promise<Values[]> {
  checkOptions(options, 'create', ['omit', 'only'])
  const sel: Selection = {
    only: pathTree(ctx.schema, ctx.tableKey, options.only, 'create({ only })'),
    omit: pathTree(ctx.schema, ctx.tableKey, options.omit, 'create({ omit })'),
  }
  for (const input of inputs) checkGraph(ctx.schema, ctx.tableKey, input, sel)
  if (inputs.length === 0) return []
  return runTransaction(ctx.session, (s) => s, (s) => new GraphWriter(s, ctx.schema, 'create').write(ctx.tableKey, inputs, sel, 'insert'))
}
