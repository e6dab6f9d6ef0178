import type { ColumnMeta, TableMeta } from './table.js'

/**
 * Relations as the runtime reads them: every key already a list of concrete columns (composite keys have
 * several, in matching order), so loaders, filters and writers never look a name up again.
 * "table" and "target" are table keys of the schema.
 */

/** The columns of one side of a key match, in order. */
export type KeyColumns = readonly ColumnMeta[]

interface Base {
  /** The relation's name and the table key it is declared on. */
  readonly name: string
  readonly table: string
  /** true: loads as an array; false: as one row or null. */
  readonly many: boolean
}

/** The extra condition of a polymorphic match: `morphType = morphValue`. */
export interface MorphCondition {
  readonly morphType: ColumnMeta
  readonly morphValue: string
}

/** hasOne / hasMany: target.foreignKey = table.localKey. */
export interface HasRelation extends Base {
  readonly kind: 'hasOne' | 'hasMany'
  readonly target: string
  readonly localKey: KeyColumns
  readonly foreignKey: KeyColumns
}

/** belongsTo: table.foreignKey = target.ownerKey. */
export interface BelongsToRelation extends Base {
  readonly kind: 'belongsTo'
  readonly target: string
  readonly foreignKey: KeyColumns
  readonly ownerKey: KeyColumns
}

/** morphOne / morphMany: target.foreignKey (`<morph>Id`) = table.localKey and target.morphType = morphValue. */
export interface MorphOneRelation extends Base, MorphCondition {
  readonly kind: 'morphOne' | 'morphMany'
  readonly target: string
  readonly morph: string
  readonly localKey: KeyColumns
  readonly foreignKey: KeyColumns
}

/** One target of a morphTo: the table key a stored type stands for, and the key the id matches there. */
export interface MorphTarget {
  readonly target: string
  readonly ownerKey: KeyColumns
}

/** morphTo: table.foreignKey (`<morph>Id`) = types[table.morphType].ownerKey. */
export interface MorphToRelation extends Base {
  readonly kind: 'morphTo'
  /** Every table key `types` names. */
  readonly targets: readonly string[]
  readonly morph: string
  readonly foreignKey: KeyColumns
  readonly morphType: ColumnMeta
  /** Stored type value -> target. */
  readonly types: ReadonlyMap<string, MorphTarget>
  /** Target table key -> the type value to store when associating a row of it (the first one given). */
  readonly morphValues: ReadonlyMap<string, string>
}

/** A pivot table: a table of the schema, or one only relations know, made by db.schema.create() (`virtual`). */
export interface PivotTable {
  /** The schema table key, or the virtual table's name. */
  readonly table: string
  readonly meta: TableMeta
  readonly virtual: boolean
}

interface PivotFields extends Base {
  readonly target: string
  readonly pivot: PivotTable
  /** table.parentKey = pivot.pivotForeignKey, pivot.pivotRelatedKey = target.relatedKey */
  readonly parentKey: KeyColumns
  readonly pivotForeignKey: KeyColumns
  readonly pivotRelatedKey: KeyColumns
  readonly relatedKey: KeyColumns
  /** Extra pivot columns loaded as `row.pivot`. */
  readonly pivotColumns: KeyColumns
}

export interface BelongsToManyRelation extends PivotFields {
  readonly kind: 'belongsToMany'
}

/**
 * morphToMany (from the morph owner: pivotForeignKey is `<morph>Id`) and morphedByMany (from the other side:
 * pivotRelatedKey is `<morph>Id`). Both add `pivot.morphType = morphValue`, the owner's stored type.
 */
export interface MorphPivotRelation extends PivotFields, MorphCondition {
  readonly kind: 'morphToMany' | 'morphedByMany'
  readonly morph: string
}

/**
 * hasOneThrough / hasManyThrough: through.firstKey = table.localKey, target.secondKey = through.secondLocalKey.
 * A hop taken from a declared morphOne/morphMany carries its morph condition (on through, or on the target).
 */
export interface ThroughRelation extends Base {
  readonly kind: 'hasOneThrough' | 'hasManyThrough'
  readonly target: string
  readonly through: string
  readonly localKey: KeyColumns
  readonly firstKey: KeyColumns
  readonly firstMorph?: MorphCondition
  readonly secondLocalKey: KeyColumns
  readonly secondKey: KeyColumns
  readonly secondMorph?: MorphCondition
}

/** Every resolved relation, discriminated by `kind`. */
export type ResolvedRelation =
  | HasRelation
  | BelongsToRelation
  | MorphOneRelation
  | MorphToRelation
  | BelongsToManyRelation
  | MorphPivotRelation
  | ThroughRelation
