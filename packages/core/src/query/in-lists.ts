import type { ExprNode, InNode, StatementNode, ValueNode } from '../sql/ast.js'
import { n } from '../sql/ast.js'

/**
 * Long IN lists and the bound-parameter limit (each database caps the parameters of one statement: 65,535 on
 * PostgreSQL and MySQL, 32,766 on SQLite). A user's `whereIn` is one IN list, so 100,000 keys would not fit.
 *
 * The design, chosen to be portable and to leave every other statement as it was:
 * 1. Only a statement whose parameters exceed the limit is touched (`Session.run` checks after compiling).
 * 2. Integer lists on integer columns are then written into the SQL as literals: every value is checked with
 *    `Number.isSafeInteger` (and is non-negative; the compiler checks again), so nothing from the caller is
 *    spliced as text. One statement, the same plan as before, correct under any ORDER BY / LIMIT.
 * 3. Other lists (strings, uuids, negative numbers) are split by the query builder, one statement per chunk,
 *    only for `get`, `count` and `pluck`, and only when that is the same result: the list is an `IN` (not
 *    `NOT IN`), the query's clauses are all joined by AND, and there is no LIMIT/OFFSET (and, for `get` and
 *    `pluck`, no ORDER BY) to apply across chunks. The values are de-duplicated first, so a row matches one chunk
 *    only and counts add up. Anything else still goes to the database as one statement, whose own error says the
 *    statement has too many parameters.
 */
const INTEGER_KINDS: ReadonlySet<string> = new Set(['id', 'integer', 'bigint'])

function isInlinableInteger(node: ExprNode): boolean {
  if (node.kind !== 'Value') return false
  const { value, type } = node as ValueNode
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && type !== undefined && INTEGER_KINDS.has(type)
}

/** An IN list of single values, all of them integers that can be written as literals. */
function inlinable(node: InNode): boolean {
  if (!Array.isArray(node.values) || node.left.length !== 1) return false
  const values = node.values as readonly (readonly ExprNode[])[]
  return values.length > 0 && values.every((row) => row.length === 1 && isInlinableInteger(row[0]))
}

/** The statement with every integer IN list written as validated literals; other nodes are kept as they are. */
export function inlineIntegerLists<T extends StatementNode>(statement: T): T {
  return rewrite(statement) as T
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false
    const out = value.map((item) => {
      const next = rewrite(item)
      if (next !== item) changed = true
      return next
    })
    return changed ? Object.freeze(out) : value
  }
  if (value === null || typeof value !== 'object') return value
  const node = value as { kind?: unknown }
  if (typeof node.kind !== 'string' || node.kind === 'Value') return value
  if (node.kind === 'In' && inlinable(node as InNode)) {
    const inNode = node as InNode
    const values = (inNode.values as readonly (readonly ExprNode[])[]).map((row) => [n.integer((row[0] as ValueNode).value as number)])
    return n.in(inNode.left, values, inNode.negate)
  }
  let changed = false
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(node)) {
    const next = rewrite(item)
    if (next !== item) changed = true
    copy[key] = next
  }
  return changed ? Object.freeze(copy) : value
}

/** The largest plain `IN` list among AND-joined predicates, for splitting. */
export function largestInList(where: readonly ExprNode[]): { index: number; node: InNode } | undefined {
  let best: { index: number; node: InNode } | undefined
  where.forEach((expr, index) => {
    if (expr.kind !== 'In') return
    const node = expr as InNode
    if (node.negate || node.left.length !== 1 || !Array.isArray(node.values)) return
    const values = node.values as readonly (readonly ExprNode[])[]
    if (!values.every((row) => row.length === 1 && row[0].kind === 'Value' && isPrimitive((row[0] as ValueNode).value))) return
    if (!best || values.length > (best.node.values as readonly unknown[]).length) best = { index, node }
  })
  return best
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
}

/** The rows of an IN list without repeats (by type and value), in first-seen order. */
export function distinctValues(values: readonly (readonly ExprNode[])[]): (readonly ExprNode[])[] {
  const seen = new Set<string>()
  const out: (readonly ExprNode[])[] = []
  for (const row of values) {
    const v = (row[0] as ValueNode).value
    const key = `${typeof v}:${String(v)}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(row)
  }
  return out
}
