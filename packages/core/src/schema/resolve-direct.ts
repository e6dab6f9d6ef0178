import { foreignKeyProp, morphIdProp, morphTypeProp } from './conventions.js'
import { keyOf, keyOrPrimary, sameLength, tableSide, type RelationScope } from './relation-keys.js'
import type { BelongsToRelation, HasRelation, MorphOneRelation, MorphTarget, MorphToRelation } from './resolved-relation.js'
import type { TableMeta } from './table.js'

/** The relations whose keys sit on the two tables themselves: hasOne/hasMany, belongsTo, morphOne/morphMany, morphTo. */

type Tables = ReadonlyMap<string, TableMeta>

/** hasOne / hasMany: the child's `<singular parent>Id` points at the parent's primary key, unless named. */
export function resolveHas(scope: RelationScope, tables: Tables): HasRelation {
  const parent = tableSide(scope, tables, scope.table)
  const child = tableSide(scope, tables, scope.def.targets[0])
  const localKey = keyOrPrimary(scope, parent, 'local key', scope.option('localKey'))
  const foreignKey = keyOf(scope, child, 'foreign key', scope.option('foreignKey'), [foreignKeyProp(parent.key)])
  sameLength(scope, 'foreign key', foreignKey, 'local key', localKey)
  const kind = scope.def.kind as HasRelation['kind']
  return { kind, name: scope.name, table: scope.table, many: kind === 'hasMany', target: child.key, localKey, foreignKey }
}

/** belongsTo: `<relation name>Id`, then `<singular related>Id` on this table, pointing at the related primary key. */
export function resolveBelongsTo(scope: RelationScope, tables: Tables): BelongsToRelation {
  const self = tableSide(scope, tables, scope.table)
  const owner = tableSide(scope, tables, scope.def.targets[0])
  const conventions = [`${scope.name}Id`, foreignKeyProp(owner.key)]
  const foreignKey = keyOf(scope, self, 'foreign key', scope.option('foreignKey'), conventions)
  const ownerKey = keyOrPrimary(scope, owner, 'owner key', scope.option('ownerKey'))
  sameLength(scope, 'foreign key', foreignKey, 'owner key', ownerKey)
  return { kind: 'belongsTo', name: scope.name, table: scope.table, many: false, target: owner.key, foreignKey, ownerKey }
}

/** morphOne / morphMany: the child's `<morph>Id` = the parent key and its `<morph>Type` = morphValue (default: this table key). */
export function resolveMorphOne(scope: RelationScope, tables: Tables): MorphOneRelation {
  const parent = tableSide(scope, tables, scope.table)
  const child = tableSide(scope, tables, scope.def.targets[0])
  const morph = scope.requiredString('morph')
  const localKey = keyOrPrimary(scope, parent, 'local key', scope.option('localKey'))
  const foreignKey = keyOf(scope, child, 'morph id', undefined, [morphIdProp(morph)])
  const [morphType] = keyOf(scope, child, 'morph type', undefined, [morphTypeProp(morph)])
  sameLength(scope, 'morph id', foreignKey, 'local key', localKey)
  const kind = scope.def.kind as MorphOneRelation['kind']
  return {
    kind, name: scope.name, table: scope.table, many: kind === 'morphMany', target: child.key,
    morph, localKey, foreignKey, morphType, morphValue: scope.stringOption('morphValue') ?? parent.key,
  }
}

/** morphTo: this table's `<morph>Id` / `<morph>Type` (morph default: the relation name); `types` names the targets. */
export function resolveMorphTo(scope: RelationScope, tables: Tables): MorphToRelation {
  const self = tableSide(scope, tables, scope.table)
  const morph = scope.stringOption('morph') ?? scope.name
  const foreignKey = keyOf(scope, self, 'morph id', undefined, [morphIdProp(morph)])
  const [morphType] = keyOf(scope, self, 'morph type', undefined, [morphTypeProp(morph)])
  const given = scope.option('types')
  if (!given || typeof given !== 'object' || Array.isArray(given) || Object.keys(given).length === 0) {
    scope.fail('option "types" is required: an object mapping each stored type to a table key, e.g. { post: \'posts\' }.')
  }
  const types = new Map<string, MorphTarget>()
  const morphValues = new Map<string, string>()
  for (const [value, key] of Object.entries(given)) {
    const target = tableSide(scope, tables, key, `table key (types.${value})`)
    const ownerKey = keyOrPrimary(scope, target, 'owner key', scope.option('ownerKey'))
    sameLength(scope, 'morph id', foreignKey, `owner key of ${target.key}`, ownerKey)
    types.set(value, Object.freeze({ target: target.key, ownerKey }))
    if (!morphValues.has(target.key)) morphValues.set(target.key, value)
  }
  return {
    kind: 'morphTo', name: scope.name, table: scope.table, many: false, targets: Object.freeze([...morphValues.keys()]),
    morph, foreignKey, morphType, types, morphValues,
  }
}
