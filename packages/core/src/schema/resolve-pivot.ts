import { foreignKeyProp, morphIdProp, morphPivotName, morphTypeProp, pivotTableName } from './conventions.js'
import { pivotTable, type PivotColumnSpec, type SchemaTables } from './pivot-tables.js'
import { givenKey, keyOf, keyOrPrimary, sameLength, tableSide, type RelationScope, type Side } from './relation-keys.js'
import type { KeyOption } from './relations.js'
import type { BelongsToManyRelation, KeyColumns, MorphPivotRelation } from './resolved-relation.js'

/**
 * The relations through a pivot table: belongsToMany, morphToMany (from the morph owner) and morphedByMany
 * (from the other side). One function, because the three differ only in which pivot key is `<morph>Id`.
 */
export function resolvePivotRelation(scope: RelationScope, schema: SchemaTables): BelongsToManyRelation | MorphPivotRelation {
  const kind = scope.def.kind as BelongsToManyRelation['kind'] | MorphPivotRelation['kind']
  const parent = tableSide(scope, schema.tables, scope.table)
  const related = tableSide(scope, schema.tables, scope.def.targets[0])
  const morph = kind === 'belongsToMany' ? undefined : scope.requiredString('morph')
  const parentKey = keyOrPrimary(scope, parent, 'local key', scope.option('localKey'))
  const relatedKey = keyOrPrimary(scope, related, 'owner key', scope.option('ownerKey'))

  const fkDefault = kind === 'morphToMany' ? morphIdProp(morph!) : foreignKeyProp(parent.key)
  const rkDefault = kind === 'morphedByMany' ? morphIdProp(morph!) : foreignKeyProp(related.key)
  const fkProps = props(scope.option('pivotForeignKey'), fkDefault)
  const rkProps = props(scope.option('pivotRelatedKey'), rkDefault)
  const shared = fkProps.filter((p) => rkProps.includes(p))
  if (shared.length) {
    // users <-> users: both defaults are userId, so a self-referential pivot must name its keys.
    scope.fail(`pivot foreign key and pivot related key are both "${shared[0]}"; name them with pivotForeignKey and pivotRelatedKey.`)
  }

  const pivotName = scope.stringOption('pivot') ?? (morph ? morphPivotName(morph) : pivotTableName(parent.key, related.key))
  const pivot = pivotTable(schema, pivotName, () => {
    // Columns of a virtual pivot: each typed like the key it stores; a polymorphic id has no foreign key.
    const fk = fkProps.map((prop, i): PivotColumnSpec => ({ prop, like: parentKey[i], references: kind === 'morphToMany' ? undefined : parent.meta }))
    const rk = rkProps.map((prop, i): PivotColumnSpec => ({ prop, like: relatedKey[i], references: kind === 'morphedByMany' ? undefined : related.meta }))
    const type: PivotColumnSpec[] = morph ? [{ prop: morphTypeProp(morph), morphType: true }] : []
    return kind === 'morphedByMany' ? [...rk, ...type, ...fk] : [...fk, ...type, ...rk]
  })
  const pivotSide: Side = { key: pivot.table, meta: pivot.meta }
  const pivotForeignKey = keyOf(scope, pivotSide, 'pivot foreign key', scope.option('pivotForeignKey'), [fkDefault])
  const pivotRelatedKey = keyOf(scope, pivotSide, 'pivot related key', scope.option('pivotRelatedKey'), [rkDefault])
  sameLength(scope, 'pivot foreign key', pivotForeignKey, 'local key', parentKey)
  sameLength(scope, 'pivot related key', pivotRelatedKey, 'owner key', relatedKey)
  const fields = {
    name: scope.name, table: scope.table, many: true, target: related.key, pivot: Object.freeze(pivot),
    parentKey, pivotForeignKey, pivotRelatedKey, relatedKey, pivotColumns: pivotColumns(scope, pivotSide, pivot.virtual),
  }
  if (!morph) return { kind: 'belongsToMany', ...fields }
  const [morphType] = keyOf(scope, pivotSide, 'morph type', undefined, [morphTypeProp(morph)])
  // The stored type is the morph owner's: this table for morphToMany, the related one for morphedByMany.
  const owner = kind === 'morphToMany' ? parent.key : related.key
  return { kind: kind as MorphPivotRelation['kind'], ...fields, morph, morphType, morphValue: scope.stringOption('morphValue') ?? owner }
}

/** The property names a key option (or its default) stands for, before the pivot they live on is known. */
function props(option: unknown, fallback: string): readonly string[] {
  if (option === undefined) return [fallback]
  if (typeof option === 'string') return [option]
  return Array.isArray(option) ? option.filter((p): p is string => typeof p === 'string') : []
}

function pivotColumns(scope: RelationScope, pivot: Side, virtual: boolean): KeyColumns {
  const option = scope.option('pivotColumns')
  if (option === undefined || (Array.isArray(option) && option.length === 0)) return Object.freeze([])
  if (virtual) {
    scope.fail(
      `pivotColumns need a pivot defined with table(): ${pivot.key} is made by the relation and has only its keys. ` +
        `Columns: ${pivot.meta.columns.map((c) => c.prop).join(', ')}.`,
    )
  }
  return givenKey(scope, pivot, 'pivot column', option as KeyOption)
}
