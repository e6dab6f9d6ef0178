import { UnknownColumnError, ValidationError } from '../errors.js'
import type { ColumnMeta, TableMeta } from '../schema/table.js'
import { n, type BinaryOperator, type ExprNode } from '../sql/ast.js'
import { isSqlNodeSource, SqlFragment } from '../sql/sql-template.js'
import { SQL_NODE } from '../sql/ast.js'
import type { Operator } from './types.js'

/** A table as a query sees it: its definition and the name that qualifies its columns. */
export interface TableScope {
  readonly meta: TableMeta
  readonly alias: string
}

/** Looks a property up in the schema; an unknown name (say, one carrying SQL) never reaches the database. */
export function columnOf(meta: TableMeta, prop: unknown): ColumnMeta {
  const column = typeof prop === 'string' ? meta.byProp.get(prop) : undefined
  if (!column) throw new UnknownColumnError(meta.name, String(prop), [...meta.byProp.keys()])
  return column
}

export function columnNode(scope: TableScope, column: ColumnMeta): ExprNode {
  return n.column(column.name, scope.alias, column.kind)
}

/** A value for a column: a sql`` fragment embeds, anything else is a parameter encoded by the column's codec. */
export function valueFor(column: ColumnMeta | undefined, value: unknown): ExprNode {
  if (value instanceof SqlFragment) return value.node
  if (isSqlNodeSource(value)) return value[SQL_NODE]() as ExprNode
  return n.value(value, column?.kind)
}

const OPERATORS: ReadonlySet<string> = new Set<Operator>([
  '=', '!=', '<>', '<', '<=', '>', '>=', 'like', 'not like', 'ilike', 'not ilike', 'in', 'not in',
])

export function checkOperator(op: unknown): Operator {
  const normalized = typeof op === 'string' ? op.toLowerCase() : op
  if (typeof normalized !== 'string' || !OPERATORS.has(normalized)) {
    throw new ValidationError(`Unknown operator "${String(op)}". Valid operators: ${[...OPERATORS].join(', ')}.`)
  }
  return normalized as Operator
}

/** `column op value` as a predicate, with NULL and list values handled the way SQL users expect. */
export function comparison(left: ExprNode, column: ColumnMeta | undefined, op: Operator, value: unknown): ExprNode {
  if (op === 'in' || op === 'not in') return inList(left, column, value, op === 'not in')
  if (value === null || value === undefined) {
    if (op === '=') return n.isNull(left)
    if (op === '!=' || op === '<>') return n.isNull(left, true)
    throw new ValidationError(`Operator "${op}" cannot compare with null; use whereNull / whereNotNull.`)
  }
  if (Array.isArray(value) && column?.kind !== 'json' && (op === '=' || op === '!=' || op === '<>')) {
    return inList(left, column, value, op !== '=')
  }
  if (op === 'ilike' || op === 'not ilike') {
    return n.binary(n.fn('lower', [left]), op === 'ilike' ? 'like' : 'not like', n.fn('lower', [valueFor(column, value)]))
  }
  const binary: BinaryOperator = op === '<>' ? '!=' : op
  return n.binary(left, binary, valueFor(column, value))
}

export function inList(left: ExprNode, column: ColumnMeta | undefined, values: unknown, negate: boolean): ExprNode {
  if (!Array.isArray(values)) throw new ValidationError('whereIn / whereNotIn take an array of values.')
  return n.in([left], values.map((v) => [valueFor(column, v)]), negate)
}

/** `whereRaw('a > ? and b = ?', [1, 2])`: each `?` becomes a bound parameter; the counts must agree. */
export function rawPredicate(text: string | SqlFragment, values: readonly unknown[] = []): ExprNode {
  if (text instanceof SqlFragment) return text.node
  if (typeof text !== 'string') throw new ValidationError('whereRaw takes a SQL string with ? placeholders, or a sql`` fragment.')
  if (!Array.isArray(values)) throw new ValidationError('whereRaw values must be an array.')
  const parts = text.split('?')
  if (parts.length - 1 !== values.length) {
    throw new ValidationError(
      `whereRaw has ${parts.length - 1} placeholder(s) but ${values.length} value(s) were given.`,
    )
  }
  return n.raw(parts, values.map((v) => valueFor(undefined, v)))
}

/** Folds clauses the way SQL reads them: `a AND b OR c` is `(a AND b) OR c`. */
export function foldClauses(clauses: readonly { or: boolean; expr: ExprNode }[]): ExprNode | undefined {
  if (clauses.length === 0) return undefined
  const groups: ExprNode[][] = [[]]
  for (const clause of clauses) {
    if (clause.or && groups[groups.length - 1].length > 0) groups.push([])
    groups[groups.length - 1].push(clause.expr)
  }
  const ands = groups.map((g) => (g.length === 1 ? g[0] : n.and(g)))
  return ands.length === 1 ? ands[0] : n.or(ands)
}

export function checkInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${what} must be a non-negative safe integer, got ${typeof value === 'number' ? value : typeof value}.`)
  }
  return value
}

export function checkDirection(direction: unknown): 'asc' | 'desc' {
  const d = typeof direction === 'string' ? direction.toLowerCase() : direction
  if (d !== 'asc' && d !== 'desc') throw new ValidationError(`Order direction must be 'asc' or 'desc', got "${String(direction)}".`)
  return d
}
