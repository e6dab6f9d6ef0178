import { ValidationError } from '../errors.js'
import { andAll, n, type ExprNode, type SelectNode } from '../sql/ast.js'
import { scopeOf, type QueryContext } from '../query/context.js'
import { checkOperator } from '../query/where.js'
import { linksOf, relationOf, type RelationLink } from './links.js'

/** A query over a relation's target, as has/whereHas/withCount callbacks see it. */
export interface RelatedQuery {
  whereNode(): ExprNode | undefined
}

export type MakeQuery = (ctx: QueryContext) => RelatedQuery & object

/** The alias of a subquery one level below `outer` (distinct at every depth, short for PostgreSQL's 63 bytes). */
export function subqueryAlias(outer: string): string {
  const match = /^orm_r(\d+)$/.exec(outer)
  return `orm_r${match ? Number(match[1]) + 1 : 1}`
}

/** The context of a query over `link`'s target inside a statement about `outer`. */
export function linkContext(outer: QueryContext, link: RelationLink, alias: string): QueryContext {
  return {
    session: outer.session,
    schema: outer.schema,
    tableKey: link.target,
    meta: link.targetMeta,
    alias,
    pivot: link.pivot ? { meta: pivotMeta(outer, link), alias: link.pivot.alias(alias) } : undefined,
  }
}

function pivotMeta(outer: QueryContext, link: RelationLink) {
  const rel = link.relation
  if (rel.kind === 'belongsToMany' || rel.kind === 'morphToMany' || rel.kind === 'morphedByMany') return rel.pivot.meta
  throw new ValidationError(`Relation "${rel.name}" has no pivot table.`)
}

/**
 * `SELECT <columns> FROM target [joins] WHERE target matches outer's key AND conditions AND constraint`,
 * correlated to the outer row: the body of EXISTS, COUNT and aggregate subqueries.
 */
export function correlated(
  outer: QueryContext,
  link: RelationLink,
  makeQuery: MakeQuery,
  constrain: ((q: any) => any) | undefined,
  columns: (alias: string) => ExprNode[],
): SelectNode {
  const alias = subqueryAlias(scopeOf(outer).alias)
  let q: RelatedQuery = makeQuery(linkContext(outer, link, alias))
  if (constrain) q = constrain(q) ?? q
  const outerAlias = scopeOf(outer).alias
  const correlation = link.match(alias).map((m, i) => n.binary(m, '=', n.column(link.parentKey[i].name, outerAlias)))
  return n.select({
    from: n.table(link.targetMeta.name, alias),
    joins: link.joins(alias),
    columns: columns(alias),
    where: andAll([...correlation, ...link.conditions(alias), q.whereNode()]),
  })
}

/** Guards a morphTo link's predicate with the parent's type column. */
function guarded(outer: QueryContext, link: RelationLink, predicate: ExprNode): ExprNode {
  if (!link.parentType) return predicate
  const typeColumn = n.column(link.parentType.column.name, scopeOf(outer).alias)
  return n.and([n.binary(typeColumn, '=', n.value(link.parentType.value, link.parentType.column.kind)), predicate])
}

/**
 * has / whereHas / doesntHave: EXISTS for "at least one" (and NOT EXISTS for none), a correlated COUNT for any
 * other count. A dot path nests: has('posts.comments') is has('posts', q => q.has('comments')).
 */
export function relationExists(
  outer: QueryContext,
  path: string,
  makeQuery: MakeQuery,
  constrain: ((q: any) => any) | undefined,
  op: string = '>=',
  count: number = 1,
): ExprNode {
  if (typeof path !== 'string') throw new ValidationError('has/whereHas need a relation name.')
  const operator = checkOperator(op)
  if (!['=', '!=', '<>', '<', '<=', '>', '>='].includes(operator)) {
    throw new ValidationError(`has/whereHas count operators are = != < <= > >=, got "${op}".`)
  }
  if (!Number.isSafeInteger(count) || count < 0) throw new ValidationError(`has/whereHas count must be a non-negative integer, got ${String(count)}.`)
  const [head, ...rest] = path.split('.')
  const relation = relationOf(outer.schema, outer.tableKey, head)
  const inner = rest.length
    ? (q: any) => q.whereHas(rest.join('.'), constrain, op, count)
    : constrain
  const nestedDefault = rest.length > 0
  const links = linksOf(outer.schema, relation)
  const parts = links.map((link) => {
    const atLeastOne = nestedDefault || (operator === '>=' && count === 1) || (operator === '>' && count === 0)
    const none = !nestedDefault && ((operator === '<' && count === 1) || (operator === '=' && count === 0) || (operator === '<=' && count === 0))
    if (atLeastOne || none) {
      const query = correlated(outer, link, makeQuery, inner, () => [n.raw(['1'])])
      return guarded(outer, link, n.exists(query, none))
    }
    const query = correlated(outer, link, makeQuery, inner, () => [n.fn('count', [n.star()])])
    const cmp = operator === '<>' ? '!=' : (operator as '=' | '!=' | '<' | '<=' | '>' | '>=')
    return guarded(outer, link, n.binary(n.subquery(query), cmp, n.value(count, 'integer')))
  })
  return parts.length === 1 ? parts[0] : n.or(parts)
}
