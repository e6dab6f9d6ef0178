import { UnknownRelationError } from '../errors.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { ResolvedRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta, TableMeta } from '../schema/table.js'
import { n, type ExprNode, type JoinNode } from '../sql/ast.js'

/**
 * How one relation reaches its rows, in the terms every reader shares (eager loading, has/whereHas,
 * withCount, related queries): the parent's key columns, and from the target table (aliased by the caller)
 * the joins, the expressions that equal that key, and the extra conditions (morph types). A morphTo has one
 * link per target type, each guarded by the parent's type column.
 */
export interface RelationLink {
  readonly relation: ResolvedRelation
  readonly target: string
  readonly targetMeta: TableMeta
  /** Columns of the parent row whose values identify its related rows. */
  readonly parentKey: readonly ColumnMeta[]
  /** morphTo: only parents whose type column holds this value use this link. */
  readonly parentType?: { readonly column: ColumnMeta; readonly value: string }
  readonly many: boolean
  joins(alias: string): JoinNode[]
  /** Expressions over the target (and its joins) that equal the parent key, in order. */
  match(alias: string): ExprNode[]
  conditions(alias: string): ExprNode[]
  /** Through relations: the middle table. */
  readonly throughMeta?: TableMeta
  /** Pivot columns loaded as `row.pivot`, with the alias of the pivot table. */
  readonly pivot?: { readonly columns: readonly ColumnMeta[]; readonly alias: (alias: string) => string }
}

export function relationOf(schema: AnySchema, tableKey: string, name: string): ResolvedRelation {
  const relations = schema.meta.relations.get(tableKey)
  const relation = relations?.get(name)
  if (!relation) throw new UnknownRelationError(schema.meta.tables.get(tableKey)?.name ?? tableKey, String(name), [...(relations?.keys() ?? [])])
  return relation
}

const col = (alias: string, column: ColumnMeta) => n.column(column.name, alias)
const eq = (a: ExprNode, b: ExprNode) => n.binary(a, '=', b)
const on = (left: readonly ColumnMeta[], leftAlias: string, right: readonly ColumnMeta[], rightAlias: string) => {
  const parts = left.map((c, i) => eq(col(leftAlias, c), col(rightAlias, right[i])))
  return parts.length === 1 ? parts[0] : n.and(parts)
}
const morph = (alias: string, column: ColumnMeta, value: string) => eq(col(alias, column), n.value(value, column.kind))

const linkCache = new WeakMap<ResolvedRelation, readonly RelationLink[]>()

/** The links of a relation, made once per relation (they depend on the schema only). */
export function linksOf(schema: AnySchema, relation: ResolvedRelation): readonly RelationLink[] {
  let links = linkCache.get(relation)
  if (!links) linkCache.set(relation, (links = makeLinks(schema, relation)))
  return links
}

function makeLinks(schema: AnySchema, relation: ResolvedRelation): RelationLink[] {
  const meta = (key: string) => schema.meta.tables.get(key) as TableMeta
  const base = { relation, many: relation.many }
  switch (relation.kind) {
    case 'hasOne':
    case 'hasMany':
      return [{ ...base, target: relation.target, targetMeta: meta(relation.target), parentKey: relation.localKey,
        joins: () => [], match: (a) => relation.foreignKey.map((c) => col(a, c)), conditions: () => [] }]
    case 'morphOne':
    case 'morphMany':
      return [{ ...base, target: relation.target, targetMeta: meta(relation.target), parentKey: relation.localKey,
        joins: () => [], match: (a) => relation.foreignKey.map((c) => col(a, c)),
        conditions: (a) => [morph(a, relation.morphType, relation.morphValue)] }]
    case 'belongsTo':
      return [{ ...base, target: relation.target, targetMeta: meta(relation.target), parentKey: relation.foreignKey,
        joins: () => [], match: (a) => relation.ownerKey.map((c) => col(a, c)), conditions: () => [] }]
    case 'morphTo':
      return [...relation.types].map(([value, t]) => ({
        ...base, target: t.target, targetMeta: meta(t.target), parentKey: relation.foreignKey,
        parentType: { column: relation.morphType, value },
        joins: () => [], match: (a: string) => t.ownerKey.map((c) => col(a, c)), conditions: () => [],
      }))
    case 'belongsToMany':
    case 'morphToMany':
    case 'morphedByMany': {
      const pivotAlias = (a: string) => `${a}_pivot`
      const pivotMeta = relation.pivot.meta
      return [{
        ...base, target: relation.target, targetMeta: meta(relation.target), parentKey: relation.parentKey,
        joins: (a) => [{ kind: 'Join', type: 'inner', table: n.table(pivotMeta.name, pivotAlias(a)),
          on: on(relation.pivotRelatedKey, pivotAlias(a), relation.relatedKey, a) }],
        match: (a) => relation.pivotForeignKey.map((c) => col(pivotAlias(a), c)),
        conditions: (a) => (relation.kind === 'belongsToMany' ? [] : [morph(pivotAlias(a), relation.morphType, relation.morphValue)]),
        pivot: { columns: relation.pivotColumns, alias: pivotAlias },
      }]
    }
    case 'hasOneThrough':
    case 'hasManyThrough': {
      const throughAlias = (a: string) => `${a}_through`
      const throughMeta = meta(relation.through)
      return [{
        ...base, target: relation.target, targetMeta: meta(relation.target), parentKey: relation.localKey, throughMeta,
        joins: (a) => [{ kind: 'Join', type: 'inner', table: n.table(throughMeta.name, throughAlias(a)),
          on: on(relation.secondKey, a, relation.secondLocalKey, throughAlias(a)) }],
        match: (a) => relation.firstKey.map((c) => col(throughAlias(a), c)),
        conditions: (a) => [
          // Rows reached through a soft-deleted middle row do not count (as in Laravel).
          ...(throughMeta.softDelete ? [n.isNull(n.column(throughMeta.softDelete.name, throughAlias(a)))] : []),
          ...(relation.firstMorph ? [morph(throughAlias(a), relation.firstMorph.morphType, relation.firstMorph.morphValue)] : []),
          ...(relation.secondMorph ? [morph(a, relation.secondMorph.morphType, relation.secondMorph.morphValue)] : []),
        ],
      }]
    }
  }
}
