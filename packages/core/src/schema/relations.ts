/**
 * The relation builder `r` that defineSchema passes to its second argument, and the definitions it returns.
 * A definition only records what the user wrote; resolve-relations.ts turns it into columns, once.
 */

/** The relation kinds of API.md section 2. */
export type RelationKind =
  | 'hasOne' | 'hasMany' | 'belongsTo' | 'belongsToMany'
  | 'morphOne' | 'morphMany' | 'morphTo' | 'morphToMany' | 'morphedByMany'
  | 'hasOneThrough' | 'hasManyThrough'

/** A key given as property names: one, or several (in order) for a composite key. */
export type KeyOption = string | readonly string[]

/** hasOne / hasMany: `foreignKey` on the related table, `localKey` on this one. */
export interface HasOptions {
  foreignKey?: KeyOption
  localKey?: KeyOption
}

/** belongsTo: `foreignKey` on this table, `ownerKey` on the related one. */
export interface BelongsToOptions {
  foreignKey?: KeyOption
  ownerKey?: KeyOption
}

/**
 * belongsToMany: `pivot` is a table key of the schema, or the name of a table that only the relation knows
 * (db.schema.create() makes it). `localKey` / `ownerKey` are the keys the pivot points at (default: primary keys).
 */
export interface PivotOptions<Keys extends string = string> {
  pivot?: Keys | (string & {})
  pivotForeignKey?: KeyOption
  pivotRelatedKey?: KeyOption
  pivotColumns?: readonly string[]
  localKey?: KeyOption
  ownerKey?: KeyOption
}

/** morphOne / morphMany: the related table holds `<morph>Id` and `<morph>Type` (= morphValue, default this table key). */
export interface MorphOneOptions {
  morph: string
  morphValue?: string
  localKey?: KeyOption
}

/** morphTo: this table holds `<morph>Id` and `<morph>Type`; `types` maps each stored type to a table key. */
export interface MorphToOptions<M extends Record<string, string> = Record<string, string>> {
  /** Default: the relation's name (as in Eloquent). */
  morph?: string
  types: M
  ownerKey?: KeyOption
}

/** morphToMany / morphedByMany: a pivot holding `<morph>Id`, `<morph>Type` and the other side's key. */
export interface MorphPivotOptions<Keys extends string = string> extends PivotOptions<Keys> {
  morph: string
  morphValue?: string
}

/**
 * hasOneThrough / hasManyThrough: this table -> `through` -> target.
 * `throughForeignKey` is on `through` (points here), `foreignKey` on the target (points at `through`),
 * `localKey` on this table, `throughLocalKey` on `through`.
 */
export interface ThroughOptions<Keys extends string = string> {
  through: Keys
  throughForeignKey?: KeyOption
  throughLocalKey?: KeyOption
  foreignKey?: KeyOption
  localKey?: KeyOption
}

export interface RelationOptionsByKind {
  hasOne: HasOptions
  hasMany: HasOptions
  belongsTo: BelongsToOptions
  belongsToMany: PivotOptions
  morphOne: MorphOneOptions
  morphMany: MorphOneOptions
  morphTo: MorphToOptions
  morphToMany: MorphPivotOptions
  morphedByMany: MorphPivotOptions
  hasOneThrough: ThroughOptions
  hasManyThrough: ThroughOptions
}

/**
 * One relation as written. `T` is the related table key (for morphTo, the union of its `types` values),
 * so the query layer can infer what a relation loads from the definition's type alone.
 */
export interface RelationDef<K extends RelationKind = RelationKind, T extends string = string> {
  readonly kind: K
  /** The related table keys: one, except for morphTo (every value of `types`). */
  readonly targets: readonly T[]
  readonly options: Readonly<RelationOptionsByKind[K]>
}

export type AnyRelationDef = RelationDef<RelationKind, string>

/** `r`: each method takes table keys of the schema (`Keys`), so a misspelt table is a compile error. */
export interface RelationBuilder<Keys extends string = string> {
  hasOne<K extends Keys>(target: K, options?: HasOptions): RelationDef<'hasOne', K>
  hasMany<K extends Keys>(target: K, options?: HasOptions): RelationDef<'hasMany', K>
  belongsTo<K extends Keys>(target: K, options?: BelongsToOptions): RelationDef<'belongsTo', K>
  belongsToMany<K extends Keys>(target: K, options?: PivotOptions<Keys>): RelationDef<'belongsToMany', K>
  morphOne<K extends Keys>(target: K, options: MorphOneOptions): RelationDef<'morphOne', K>
  morphMany<K extends Keys>(target: K, options: MorphOneOptions): RelationDef<'morphMany', K>
  morphTo<const M extends Record<string, Keys>>(options: MorphToOptions<M>): RelationDef<'morphTo', M[keyof M]>
  morphToMany<K extends Keys>(target: K, options: MorphPivotOptions<Keys>): RelationDef<'morphToMany', K>
  morphedByMany<K extends Keys>(target: K, options: MorphPivotOptions<Keys>): RelationDef<'morphedByMany', K>
  hasOneThrough<K extends Keys>(target: K, options: ThroughOptions<Keys>): RelationDef<'hasOneThrough', K>
  hasManyThrough<K extends Keys>(target: K, options: ThroughOptions<Keys>): RelationDef<'hasManyThrough', K>
}

function define<K extends RelationKind, T extends string>(kind: K, targets: T[], options: object | undefined): RelationDef<K, T> {
  return Object.freeze({
    kind,
    targets: Object.freeze([...new Set(targets)]),
    options: freezeCopy(options ?? {}) as RelationOptionsByKind[K],
  })
}

/** Copies the options (arrays and the `types` map too), so that a caller mutating its own objects changes nothing. */
function freezeCopy(options: object): object {
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (Array.isArray(value)) copy[key] = Object.freeze([...value])
    else if (value && typeof value === 'object') copy[key] = Object.freeze({ ...value })
    else copy[key] = value
  }
  return Object.freeze(copy)
}

/** morphTo's targets: the table keys its `types` map to (resolve-relations rejects a missing `types`). */
function typeTargets<M extends Record<string, string>>(options: MorphToOptions<M> | undefined): M[keyof M][] {
  return options && options.types && typeof options.types === 'object' ? (Object.values(options.types) as M[keyof M][]) : []
}

/** The builder passed to defineSchema's relations callback. Stateless: definitions are plain frozen objects. */
export const relationBuilder: RelationBuilder = Object.freeze({
  hasOne: (target, options) => define('hasOne', [target], options),
  hasMany: (target, options) => define('hasMany', [target], options),
  belongsTo: (target, options) => define('belongsTo', [target], options),
  belongsToMany: (target, options) => define('belongsToMany', [target], options),
  morphOne: (target, options) => define('morphOne', [target], options),
  morphMany: (target, options) => define('morphMany', [target], options),
  morphTo: (options) => define('morphTo', typeTargets(options), options),
  morphToMany: (target, options) => define('morphToMany', [target], options),
  morphedByMany: (target, options) => define('morphedByMany', [target], options),
  hasOneThrough: (target, options) => define('hasOneThrough', [target], options),
  hasManyThrough: (target, options) => define('hasManyThrough', [target], options),
} satisfies RelationBuilder)
