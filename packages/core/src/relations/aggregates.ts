import { ValidationError } from '../errors.js'
import { toBoolean, toSafeNumber, type Codecs } from '../driver/codecs.js'
import type { QueryContext } from '../query/context.js'
import { decoderOf } from '../query/row-reader.js'
import type { ColumnMeta } from '../schema/table.js'
import { columnOf } from '../query/where.js'
import { n, type ExprNode } from '../sql/ast.js'
import { correlated, type MakeQuery } from './filters.js'
import { linksOf, relationOf } from './links.js'

export type AggregateFn = 'count' | 'exists' | 'sum' | 'avg' | 'min' | 'max'

/** A correlated aggregate in the select list: its alias, its expression, and how its value reads back. */
export interface Aggregate {
  readonly alias: string
  readonly expr: ExprNode
  readonly decode: (value: unknown) => unknown
  /** sum/min/max: the column the value is typed like when a where compares it (nullable: no row gives NULL). */
  readonly operand?: ColumnMeta
}

const SUFFIX: Record<AggregateFn, string> = { count: 'Count', exists: 'Exists', sum: 'Sum', avg: 'Avg', min: 'Min', max: 'Max' }

/** withCount('posts') -> postsCount; withSum('posts', 'views') -> postsSumViews; `as` names it yourself. */
export function aggregateOf(
  outer: QueryContext,
  codecs: Codecs,
  relationName: string,
  fn: AggregateFn,
  column: string | undefined,
  makeQuery: MakeQuery,
  constrain: ((q: any) => any) | undefined,
  as: string | undefined,
): Aggregate {
  const relation = relationOf(outer.schema, outer.tableKey, relationName)
  const links = linksOf(outer.schema, relation)
  if (links.length !== 1) throw new ValidationError(`${fn} of "${relationName}": aggregates over a morphTo relation are not supported.`)
  const [link] = links
  const target = column === undefined ? undefined : columnOf(link.targetMeta, column)
  if (fn !== 'count' && fn !== 'exists' && !target) throw new ValidationError(`with${SUFFIX[fn]}("${relationName}") needs a column.`)
  const alias = as ?? `${relationName}${SUFFIX[fn]}${target ? target.prop[0].toUpperCase() + target.prop.slice(1) : ''}`
  if (typeof alias !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) {
    throw new ValidationError(`An aggregate alias must be an identifier (letters, digits, _), got "${String(alias)}".`)
  }
  const body = correlated(outer, link, makeQuery, constrain, (a) => {
    if (fn === 'count') return [n.fn('count', [n.star()])]
    if (fn === 'exists') return [n.raw(['1'])]
    const column = n.column(target!.name, a, target!.kind)
    // AVG of integers is a DECIMAL cut to 4 places on MySQL; SUM * 1e0 / COUNT is a double everywhere.
    if (fn === 'avg' && target!.kind !== 'decimal') return [n.raw(['SUM(', ') * 1e0 / COUNT(', ')'], [column, column])]
    return [n.fn(fn, [column])]
  })
  const expr = fn === 'exists' ? n.exists(body) : n.subquery(body)
  const operand = target && (fn === 'sum' || fn === 'min' || fn === 'max') ? { ...target, config: { ...target.config, nullable: true } } : undefined
  return { alias, expr, decode: decoder(codecs, fn, target), operand }
}

function decoder(codecs: Codecs, fn: AggregateFn, target: ReturnType<typeof columnOf> | undefined): (v: unknown) => unknown {
  if (fn === 'count') return toSafeNumber
  if (fn === 'exists') return toBoolean
  if (target && (fn === 'min' || fn === 'max')) {
    const decode = decoderOf(codecs, target)
    return decode ?? ((v) => v)
  }
  // A decimal sum keeps the column's scale (SQLite adds its text decimals as floats: '0.30', not 0.30000000000000004).
  if (target?.kind === 'decimal') return fn === 'sum' ? (decoderOf(codecs, target) ?? String) : (v) => String(v)
  return (v) => Number(v)
}
