import { ValidationError } from '../errors.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { ResolvedRelation } from '../schema/resolved-relation.js'
import { andAll, n, type ExprNode } from '../sql/ast.js'
import { valueFor } from '../query/where.js'
import { keyOf } from './eager-load.js'
import { linksOf, type RelationLink } from './links.js'

/** The parents and relation behind `related(rows, name)`. */
export interface RelatedOwner {
  readonly parentKey: string
  readonly parents: readonly Record<string, unknown>[]
  readonly relation: ResolvedRelation
  readonly link: RelationLink
  /** related([a, b], ...) was given a list: writes take one argument per parent. */
  readonly batch: boolean
}

/**
 * The one link `related()` reads through: a morphTo follows the parents' (single) stored type. Parents whose
 * type is NULL or not one of the relation's point at nothing (they read as empty, and can still be associated).
 */
export function relatedLink(schema: AnySchema, relation: ResolvedRelation, parents: readonly Record<string, unknown>[]): RelationLink {
  const links = linksOf(schema, relation)
  if (links.length === 1 || parents.length === 0) return links[0]
  const typeOf = (p: Record<string, unknown>) => links.find((l) => l.parentType!.value === p[l.parentType!.column.prop])
  const used = new Set(parents.map(typeOf).filter((l) => l !== undefined))
  if (used.size > 1) {
    const types = [...used].map((l) => l.parentType!.value).join(', ')
    throw new ValidationError(`related(..., "${relation.name}"): the rows point at different types (${types}); query them separately.`)
  }
  return [...used][0] ?? links[0]
}

/** The parents' key values (distinct, none null). A parent without its key is an error: it cannot have related rows. */
export function parentKeys(owner: Pick<RelatedOwner, 'parents' | 'link' | 'relation'>): unknown[][] {
  const seen = new Map<string, unknown[]>()
  const type = owner.link.parentType
  for (const parent of owner.parents) {
    if (type && parent[type.column.prop] !== type.value) continue // a morphTo row of another (or no) type
    const values = owner.link.parentKey.map((c) => parent[c.prop])
    const key = keyOf(values)
    if (key === undefined) {
      if (owner.relation.kind === 'belongsTo' || owner.relation.kind === 'morphTo') continue
      throw new ValidationError(`related(..., "${owner.relation.name}"): a row has no ${owner.link.parentKey.map((c) => `"${c.prop}"`).join(', ')}.`)
    }
    seen.set(key, values)
  }
  return [...seen.values()]
}

/**
 * The rows of the target that belong to the parents, as a predicate over the target alone (pivot and
 * through tables in IN-subqueries), so that update() and delete() work on every dialect.
 */
export function relatedScope(owner: RelatedOwner, alias: string): ExprNode {
  const keys = parentKeys(owner)
  if (keys.length === 0) return n.constant(false)
  const { relation, link } = owner
  const keyList = (columns: readonly { name: string; kind: any }[], table: string) =>
    n.in(columns.map((c) => n.column(c.name, table)), keys.map((values) => values.map((v, i) => valueFor(link.parentKey[i], v))))
  switch (relation.kind) {
    case 'belongsToMany':
    case 'morphToMany':
    case 'morphedByMany': {
      const pivot = relation.pivot.meta.name
      const morph = relation.kind === 'belongsToMany' ? undefined : n.binary(n.column(relation.morphType.name, pivot), '=', valueFor(relation.morphType, relation.morphValue))
      const sub = n.select({
        from: n.table(pivot),
        columns: relation.pivotRelatedKey.map((c) => n.column(c.name, pivot)),
        where: andAll([keyList(relation.pivotForeignKey, pivot), morph]),
      })
      return n.in(relation.relatedKey.map((c) => n.column(c.name, alias)), sub)
    }
    case 'hasOneThrough':
    case 'hasManyThrough': {
      const through = link.joins('x')[0].table as { name: string }
      const throughName = through.name
      const firstMorph = relation.firstMorph
      const sub = n.select({
        from: n.table(throughName),
        columns: relation.secondLocalKey.map((c) => n.column(c.name, throughName)),
        where: andAll([
          keyList(relation.firstKey, throughName),
          // A soft-deleted middle row hides what lies behind it, as in eager loading and filters.
          link.throughMeta?.softDelete ? n.isNull(n.column(link.throughMeta.softDelete.name, throughName)) : undefined,
          firstMorph ? n.binary(n.column(firstMorph.morphType.name, throughName), '=', valueFor(firstMorph.morphType, firstMorph.morphValue)) : undefined,
        ]),
      })
      const secondMorph = relation.secondMorph
      return andAll([
        n.in(relation.secondKey.map((c) => n.column(c.name, alias)), sub),
        secondMorph ? n.binary(n.column(secondMorph.morphType.name, alias), '=', valueFor(secondMorph.morphType, secondMorph.morphValue)) : undefined,
      ])!
    }
    default:
      return andAll([
        n.in(link.match(alias), keys.map((values) => values.map((v, i) => valueFor(link.parentKey[i], v)))),
        ...link.conditions(alias),
      ])!
  }
}
