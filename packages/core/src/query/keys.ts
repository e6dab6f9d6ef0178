import { ValidationError } from '../errors.js'
import type { TableMeta } from '../schema/table.js'
import { n, type ExprNode } from '../sql/ast.js'
import { columnOf, valueFor, type TableScope } from './where.js'

/**
 * The predicate for one primary key value: a scalar for a one-column key, an object (or the row itself)
 * or an array in key order for a composite key.
 */
export function keyPredicate(scope: TableScope, key: unknown): ExprNode {
  const values = keyValues(scope.meta, key)
  const parts = scope.meta.primaryKey.map((prop, i) => {
    const column = columnOf(scope.meta, prop)
    return n.binary(n.column(column.name, scope.alias), '=', valueFor(column, values[i]))
  })
  return parts.length === 1 ? parts[0] : n.and(parts)
}

/** The key values of `key`, in primary key order. */
export function keyValues(meta: TableMeta, key: unknown): unknown[] {
  const pk = meta.primaryKey
  if (pk.length === 0) throw new ValidationError(`Table "${meta.name}" has no primary key.`)
  let values: unknown[]
  if (Array.isArray(key)) values = key
  else if (key !== null && typeof key === 'object' && !(key instanceof Date) && !(key instanceof Uint8Array)) {
    values = pk.map((p) => (key as Record<string, unknown>)[p])
  } else values = [key]
  if (values.length !== pk.length || values.some((v) => v === undefined || v === null)) {
    throw new ValidationError(
      `A key of table "${meta.name}" needs a value for ${pk.map((p) => `"${p}"`).join(', ')}` +
        (pk.length > 1 ? ' (an object with those properties, or an array in that order).' : '.'),
    )
  }
  return values
}

/** `pk IN (...)` for many keys (row values for a composite key). */
export function keysIn(scope: TableScope, keys: readonly unknown[][]): ExprNode {
  const columns = scope.meta.primaryKey.map((p) => columnOf(scope.meta, p))
  return n.in(
    columns.map((c) => n.column(c.name, scope.alias)),
    keys.map((values) => values.map((v, i) => valueFor(columns[i], v))),
  )
}

/** A stable string for a key, to match rows read back to the rows written. */
export function keyString(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'bigint' ? `${v}n` : JSON.stringify(v))).join('\u0000')
}
