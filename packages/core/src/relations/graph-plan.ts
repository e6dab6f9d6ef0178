import { UnknownColumnError, ValidationError } from '../errors.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { MorphToRelation, ResolvedRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta, TableMeta } from '../schema/table.js'
import { addPath, type EagerTree } from './eager-tree.js'

/**
 * What graph writes (create / save / delete with relations) share: which relations of an input are written,
 * the checks made before any statement, and the key helpers. Nothing here runs a statement.
 */

export type Values = Record<string, unknown>

export const HAS_KINDS: ReadonlySet<string> = new Set(['hasOne', 'hasMany', 'morphOne', 'morphMany'])
export const PIVOT_KINDS: ReadonlySet<string> = new Set(['belongsToMany', 'morphToMany', 'morphedByMany'])
export const OWNER_KINDS: ReadonlySet<string> = new Set(['belongsTo', 'morphTo'])

/** Which relations to write below one level: `only` (exact dot paths, prefixes implied) and `omit` (a subtree). */
export interface Selection {
  readonly only?: EagerTree
  readonly omit?: EagerTree
}

/** Options objects take only the names given; a misspelt option is an error, not silently ignored. */
export function checkOptions(options: unknown, verb: string, names: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValidationError(`${verb}() takes { ${names.join(', ')} } as its options.`)
  for (const key of Object.keys(options)) {
    if (!names.includes(key)) throw new ValidationError(`Unknown option "${key}" of ${verb}(). Valid options: ${names.join(', ')}.`)
  }
}

/** Dot paths as a tree, every segment checked against the schema (an UnknownRelationError names a bad one). */
export function pathTree(schema: AnySchema, tableKey: string, paths: readonly string[] | undefined, option: string): EagerTree | undefined {
  if (paths === undefined) return undefined
  if (!Array.isArray(paths)) throw new ValidationError(`${option} takes an array of relation names or dot paths.`)
  let tree: EagerTree = new Map()
  for (const path of paths) tree = addPath(schema, tableKey, tree, path)
  return tree
}

/** The selection one level down, through relation `name`; undefined when `name` is not written at all. */
export function below(sel: Selection, name: string): Selection | undefined {
  if (!sel.only && !sel.omit) return sel
  if (sel.only && !sel.only.has(name)) return undefined
  const omitted = sel.omit?.get(name)
  if (omitted && omitted.children.size === 0) return undefined
  return { only: sel.only?.get(name)?.children, omit: omitted?.children }
}

/** The table a relation of `parent` writes into (a morphTo follows the parent's type column). */
export function targetOf(relation: ResolvedRelation, parent: Values): string {
  if (relation.kind !== 'morphTo') return (relation as { target: string }).target
  return morphTarget(relation, parent).target
}

/** morphTo: the target named by the row's `<morph>Type` value, or the only target there is. */
export function morphTarget(relation: MorphToRelation, input: Values): { target: string; type: string } {
  const given = input[relation.morphType.prop]
  if (given !== undefined && given !== null) {
    const found = relation.types.get(String(given))
    if (!found) {
      throw new ValidationError(
        `${relation.table}.${relation.name}: "${relation.morphType.prop}" is "${String(given)}", which is not one of ${[...relation.types.keys()].join(', ')}.`,
      )
    }
    return { target: found.target, type: String(given) }
  }
  if (relation.targets.length === 1) {
    const target = relation.targets[0]
    return { target, type: relation.morphValues.get(target)! }
  }
  throw new ValidationError(
    `${relation.table}.${relation.name} can point at ${relation.targets.join(', ')}: set "${relation.morphType.prop}" on the row to say which.`,
  )
}

/** The key columns a morphTo row points at in `target`. */
export function morphOwnerKey(relation: MorphToRelation, target: string): readonly ColumnMeta[] {
  return [...relation.types.values()].find((t) => t.target === target)!.ownerKey
}

export function hasKey(meta: TableMeta, row: Values): boolean {
  if (meta.primaryKey.length === 0) return false
  for (const p of meta.primaryKey) if (row[p] === undefined || row[p] === null) return false
  return true
}

/** Values of `columns` read from `row`; a missing one is an error naming what needed it. */
export function valuesOf(row: Values, columns: readonly ColumnMeta[], what: string): unknown[] {
  const values = columns.map((c) => row[c.prop])
  if (values.some((v) => v === undefined || v === null)) {
    throw new ValidationError(`${what}: the row has no ${columns.map((c) => `"${c.prop}"`).join(', ')}.`)
  }
  return values
}

/** The column values of an input row: relations and a pivot item's `pivot` left out. */
export function columnValues(meta: TableMeta, input: Values): Values {
  const out: Values = {}
  for (const key of Object.keys(input)) if (meta.byProp.has(key)) out[key] = input[key]
  return out
}

/** One relation of one input row that is to be written. */
export interface RelationInput {
  readonly name: string
  readonly relation: ResolvedRelation
  readonly value: unknown
  readonly sel: Selection
}

/** The relations of `input` to write, in input order (values undefined or null are nothing to write). */
export function relationInputs(schema: AnySchema, tableKey: string, input: Values, sel: Selection): RelationInput[] {
  const relations = schema.meta.relations.get(tableKey)
  const out: RelationInput[] = []
  for (const name of Object.keys(input)) {
    const relation = relations?.get(name)
    const entry = relation && relationInput(name, relation, input[name], sel)
    if (entry) out.push(entry)
  }
  return out
}

/** Relation `name` of an input row, when it is to be written. */
function relationInput(name: string, relation: ResolvedRelation, value: unknown, sel: Selection): RelationInput | undefined {
  if (value === undefined || value === null) return undefined
  const next = below(sel, name)
  return next && { name, relation, value, sel: next }
}

/** The items of a relation value: an array for to-many, one object for to-one. */
export function itemsOf(input: RelationInput): Values[] {
  const { relation, value } = input
  if (relation.many) {
    if (!Array.isArray(value)) throw new ValidationError(`${relation.table}.${relation.name} is a ${relation.kind} relation: give an array of rows.`)
    value.forEach((item) => isRow(item, relation))
    return value as Values[]
  }
  isRow(value, relation)
  return [value as Values]
}

function isRow(value: unknown, relation: ResolvedRelation): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
    throw new ValidationError(`${relation.table}.${relation.name} takes rows (objects); got ${got}.`)
  }
}

/**
 * Checks a whole input graph before anything is written: every key a column or a relation of its table
 * (a pivot item may carry `pivot`), every selected relation writable and shaped right.
 */
export function checkGraph(schema: AnySchema, tableKey: string, input: Values, sel: Selection, pivotOf?: TableMeta, path: Values[] = []): void {
  const meta = schema.meta.tables.get(tableKey)!
  const relations = schema.meta.relations.get(tableKey)
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(`A row of "${meta.name}" must be an object of column values and relations.`)
  }
  if (path.includes(input)) throw new ValidationError(`The input graph contains a row of "${meta.name}" inside itself (a cycle); give each row once.`)
  const entries: RelationInput[] = []
  for (const key of Object.keys(input)) {
    const relation = relations?.get(key)
    if (relation) {
      const entry = relationInput(key, relation, input[key], sel)
      if (entry) entries.push(entry)
      continue
    }
    if (meta.byProp.has(key)) continue
    if (pivotOf && key === 'pivot') checkPivot(pivotOf, input.pivot)
    else throw unknownKey(meta, key, [...(relations?.keys() ?? [])])
  }
  for (const entry of entries) {
    const { relation } = entry
    if (relation.kind === 'hasOneThrough' || relation.kind === 'hasManyThrough') {
      throw new ValidationError(
        `${relation.table}.${relation.name} is a ${relation.kind} relation, which cannot be written: write its rows through "${relation.through}".`,
      )
    }
    const pivot = PIVOT_KINDS.has(relation.kind) ? (relation as { pivot: { meta: TableMeta } }).pivot.meta : undefined
    const target = targetOf(relation, input)
    path.push(input)
    for (const item of itemsOf(entry)) checkGraph(schema, target, item, entry.sel, pivot, path)
    path.pop()
  }
}

function checkPivot(pivot: TableMeta, values: unknown): void {
  if (values === undefined || values === null) return
  if (typeof values !== 'object' || Array.isArray(values)) throw new ValidationError(`"pivot" takes an object of ${pivot.name} column values.`)
  for (const key of Object.keys(values)) {
    if (!pivot.byProp.has(key)) throw new UnknownColumnError(pivot.name, key, [...pivot.byProp.keys()])
  }
}

function unknownKey(meta: TableMeta, key: string, relations: readonly string[]): UnknownColumnError {
  const error = new UnknownColumnError(meta.name, key, [...meta.byProp.keys(), ...relations])
  const list = (names: readonly string[]) => (names.length ? names.join(', ') : '(none)')
  error.message =
    `Unknown column or relation "${key.length > 100 ? `${key.slice(0, 100)}...` : key}" on table "${meta.name}". ` +
    `Columns: ${list([...meta.byProp.keys()])}. Relations: ${list(relations)}.`
  return error
}
