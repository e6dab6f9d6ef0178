import { SchemaError } from '../errors.js'
import type { SchemaTables } from './pivot-tables.js'
import { checkOptionNames, RelationScope } from './relation-keys.js'
import type { AnyRelationDef, RelationKind } from './relations.js'
import { resolveBelongsTo, resolveHas, resolveMorphOne, resolveMorphTo } from './resolve-direct.js'
import { resolvePivotRelation } from './resolve-pivot.js'
import { resolveThrough, type DeclaredHops } from './resolve-through.js'
import type { HasRelation, MorphOneRelation, ResolvedRelation } from './resolved-relation.js'
import type { TableMeta } from './table.js'

export interface ResolvedRelations {
  /** Table key -> relation name -> resolved relation; every table key has an entry (maybe empty). */
  readonly relations: ReadonlyMap<string, ReadonlyMap<string, ResolvedRelation>>
  /** Pivot tables that only relations name, by table name, for db.schema.create(). */
  readonly virtualTables: ReadonlyMap<string, TableMeta>
}

type Resolver = (scope: RelationScope, schema: SchemaTables, declared: DeclaredHops) => ResolvedRelation

const PIVOT = ['pivot', 'pivotForeignKey', 'pivotRelatedKey', 'pivotColumns', 'localKey', 'ownerKey']
const THROUGH = ['through', 'throughForeignKey', 'throughLocalKey', 'foreignKey', 'localKey']

/** Per kind: its options and its resolver. A Record, so that a new kind without a resolver is a compile error. */
const KINDS: Record<RelationKind, { readonly options: readonly string[]; readonly resolve: Resolver }> = {
  hasOne: { options: ['foreignKey', 'localKey'], resolve: (s, schema) => resolveHas(s, schema.tables) },
  hasMany: { options: ['foreignKey', 'localKey'], resolve: (s, schema) => resolveHas(s, schema.tables) },
  belongsTo: { options: ['foreignKey', 'ownerKey'], resolve: (s, schema) => resolveBelongsTo(s, schema.tables) },
  belongsToMany: { options: PIVOT, resolve: resolvePivotRelation },
  morphOne: { options: ['morph', 'morphValue', 'localKey'], resolve: (s, schema) => resolveMorphOne(s, schema.tables) },
  morphMany: { options: ['morph', 'morphValue', 'localKey'], resolve: (s, schema) => resolveMorphOne(s, schema.tables) },
  morphTo: { options: ['morph', 'types', 'ownerKey'], resolve: (s, schema) => resolveMorphTo(s, schema.tables) },
  morphToMany: { options: [...PIVOT, 'morph', 'morphValue'], resolve: resolvePivotRelation },
  morphedByMany: { options: [...PIVOT, 'morph', 'morphValue'], resolve: resolvePivotRelation },
  hasOneThrough: { options: THROUGH, resolve: (s, schema, declared) => resolveThrough(s, schema.tables, declared) },
  hasManyThrough: { options: THROUGH, resolve: (s, schema, declared) => resolveThrough(s, schema.tables, declared) },
}

const isThrough = (scope: RelationScope) => scope.def.kind === 'hasOneThrough' || scope.def.kind === 'hasManyThrough'

/** Resolves every relation definition of the schema, once, at defineSchema time. Throws SchemaError on the first bad one. */
export function resolveRelations(
  tables: ReadonlyMap<string, TableMeta>,
  keyByName: ReadonlyMap<string, string>,
  definitions: unknown,
): ResolvedRelations {
  const scopes = collect(tables, definitions)
  const schema: SchemaTables = { tables, keyByName, virtualTables: new Map() }
  const resolved = new Map<RelationScope, ResolvedRelation>()
  const declared: DeclaredHops = (from, to) =>
    [...resolved.values()].filter(
      (r): r is HasRelation | MorphOneRelation =>
        (r.kind === 'hasOne' || r.kind === 'hasMany' || r.kind === 'morphOne' || r.kind === 'morphMany') && r.table === from && r.target === to,
    )
  // Through relations may take a hop's key from a declared direct relation, so the direct ones resolve first.
  for (const scope of [...scopes.filter((s) => !isThrough(s)), ...scopes.filter(isThrough)]) {
    const kind = KINDS[scope.def.kind]
    checkOptionNames(scope, kind.options)
    resolved.set(scope, Object.freeze(kind.resolve(scope, schema, declared)))
  }

  // Maps keep the order the relations were written in (with('*') loads them in that order).
  const relations = new Map<string, Map<string, ResolvedRelation>>([...tables.keys()].map((key) => [key, new Map()]))
  for (const scope of scopes) relations.get(scope.table)!.set(scope.name, resolved.get(scope)!)
  return { relations, virtualTables: schema.virtualTables }
}

/** Checks the shape of the definitions object (plain JS callers exist) and makes one scope per relation. */
function collect(tables: ReadonlyMap<string, TableMeta>, definitions: unknown): RelationScope[] {
  if (definitions === undefined) return []
  if (!definitions || typeof definitions !== 'object') {
    throw new SchemaError('defineSchema: the relations callback must return an object: { tableKey: { relationName: r.hasMany(...) } }.')
  }
  const scopes: RelationScope[] = []
  for (const [tableKey, relations] of Object.entries(definitions)) {
    const meta = tables.get(tableKey)
    if (!meta) {
      throw new SchemaError(`defineSchema: relations given for "${tableKey}", which is not a table key. Table keys: ${[...tables.keys()].join(', ')}.`)
    }
    if (!relations || typeof relations !== 'object') {
      throw new SchemaError(`defineSchema: the relations of "${tableKey}" must be an object of relation definitions.`)
    }
    for (const [name, def] of Object.entries(relations)) {
      if (!isRelationDef(def)) {
        throw new SchemaError(`Relation ${tableKey}.${name}: not a relation definition (use r.hasMany(...), r.belongsTo(...), ...).`)
      }
      const scope = new RelationScope(tableKey, name, def)
      if (meta.byProp.has(name)) scope.fail(`"${name}" is already a column of ${tableKey}; give the relation another name.`)
      scopes.push(scope)
    }
  }
  return scopes
}

function isRelationDef(value: unknown): value is AnyRelationDef {
  const def = value as AnyRelationDef | null
  return !!def && typeof def === 'object' && Object.hasOwn(KINDS, def.kind) && Array.isArray(def.targets) && !!def.options
}
