import type { AnySchema } from '../schema/define-schema.js'
import type { ResolvedRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta, TableMeta } from '../schema/table.js'
import type { EagerTree } from './eager-tree.js'
import { linksOf, relationOf, type RelationLink } from './links.js'

/** A to-one relation read in the query's own statement, with a LEFT JOIN under `alias`. */
export interface JoinSpec {
  readonly name: string
  readonly link: RelationLink
  readonly alias: string
}

/** How a query reads its relations: the joins of its statement, the keyed loads after it, and what loads under a joined row. */
export interface LoadPlan {
  readonly joins: readonly JoinSpec[]
  readonly eager: EagerTree
  readonly underJoins: readonly (readonly [JoinSpec, EagerTree])[]
}

const specs = new WeakMap<RelationLink, JoinSpec>()

/** The join of a to-one relation, under the alias `orm_j_<name>` (one object per relation, so its parts can be cached). */
export function joinSpec(name: string, link: RelationLink): JoinSpec {
  let spec = specs.get(link)
  if (!spec) specs.set(link, (spec = { name, link, alias: `orm_j_${name}` }))
  return spec
}

/**
 * With `joinToOne` (the 'auto' strategy on a query that reads one row), an unconstrained `with()` of a to-one
 * relation whose target row is unique for its parent (belongsTo to a key, hasOne / morphOne on a unique
 * foreign key) is read with a LEFT JOIN in the parent's statement instead of a second statement: the same
 * row, one round trip less. Relations under it load keyed from the joined rows. Anything else (constraints,
 * to-many, morphTo, through, a hasOne whose foreign key is not unique) stays a keyed load. Over many parents
 * keyed loading stays: measured in apps/bench (W2, 500 posts with their author), the join repeats each
 * author's columns on every post and was 2-16% slower than the second statement.
 */
export function planLoading(schema: AnySchema, tableKey: string, joins: readonly JoinSpec[], eager: EagerTree, joinToOne: boolean): LoadPlan {
  if (!joinToOne || eager.size === 0) return { joins, eager, underJoins: [] }
  if (joins.length > 0) return joinPlan(schema, tableKey, joins, eager)
  // Without explicit joins the plan depends on the tree alone (a tree belongs to one table of one schema).
  let plan = plans.get(eager)
  if (!plan) plans.set(eager, (plan = joinPlan(schema, tableKey, joins, eager)))
  return plan
}

const plans = new WeakMap<EagerTree, LoadPlan>()

function joinPlan(schema: AnySchema, tableKey: string, joins: readonly JoinSpec[], eager: EagerTree): LoadPlan {
  const allJoins = [...joins]
  const rest = new Map(eager)
  const underJoins: [JoinSpec, EagerTree][] = []
  for (const [name, node] of eager) {
    if (node.constraint) continue
    const link = joinableLink(schema, tableKey, name)
    if (!link) continue
    rest.delete(name)
    let spec = allJoins.find((j) => j.name === name)
    if (!spec) allJoins.push((spec = joinSpec(name, link)))
    if (node.children.size > 0) underJoins.push([spec, node.children])
  }
  return { joins: allJoins, eager: rest, underJoins }
}

const joinable = new WeakMap<ResolvedRelation, RelationLink | null>()

/** The relation's one link when a LEFT JOIN over it yields at most one row per parent (decided once per relation). */
function joinableLink(schema: AnySchema, tableKey: string, name: string): RelationLink | undefined {
  const relation = relationOf(schema, tableKey, name)
  let link = joinable.get(relation)
  if (link === undefined) joinable.set(relation, (link = uniqueLink(schema, relation) ?? null))
  return link ?? undefined
}

function uniqueLink(schema: AnySchema, relation: ResolvedRelation): RelationLink | undefined {
  let matched: readonly ColumnMeta[]
  let fixed: readonly ColumnMeta[] = []
  switch (relation.kind) {
    case 'belongsTo':
      matched = relation.ownerKey
      break
    case 'hasOne':
      matched = relation.foreignKey
      break
    case 'morphOne':
      matched = relation.foreignKey
      fixed = [relation.morphType]
      break
    default:
      return undefined
  }
  const [link] = linksOf(schema, relation)
  return uniqueOn(link.targetMeta, [...matched, ...fixed]) ? link : undefined
}

/** True when some unique key of the table (primary key, unique index, unique column) lies within `columns`. */
function uniqueOn(meta: TableMeta, columns: readonly ColumnMeta[]): boolean {
  const props = new Set(columns.map((c) => c.prop))
  const within = (keys: readonly string[]) => keys.length > 0 && keys.every((k) => props.has(k))
  return within(meta.primaryKey) || meta.indexes.some((i) => i.unique && within(i.columns)) || columns.some((c) => c.config.unique)
}
