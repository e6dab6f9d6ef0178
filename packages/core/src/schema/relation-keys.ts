import { SchemaError } from '../errors.js'
import type { AnyRelationDef, KeyOption } from './relations.js'
import type { KeyColumns } from './resolved-relation.js'
import type { TableMeta } from './table.js'

/** One table a relation touches: its schema key (or a virtual pivot's name) and its meta. */
export interface Side {
  readonly key: string
  readonly meta: TableMeta
}

/**
 * The relation being resolved. Every error goes through fail(), so each message starts with
 * "Relation users.posts (hasMany -> posts):" and the user knows which definition to fix.
 */
export class RelationScope {
  readonly label: string
  constructor(
    readonly table: string,
    readonly name: string,
    readonly def: AnyRelationDef,
  ) {
    const targets = Array.isArray(def.targets) && def.targets.length ? def.targets.join(' | ') : '?'
    const through = (def.options as { through?: string }).through
    this.label = `Relation ${table}.${name} (${def.kind} -> ${targets}${through ? ` through ${through}` : ''})`
  }

  fail(message: string): never {
    throw new SchemaError(`${this.label}: ${message}`)
  }

  /** An option as the user wrote it (plain JS callers may pass anything, so callers check its type). */
  option(name: string): unknown {
    return (this.def.options as Record<string, unknown>)[name]
  }

  /** A string option (morph, pivot, morphValue, ...): undefined when left out, an error when not a string. */
  stringOption(name: string): string | undefined {
    const value = this.option(name)
    if (value !== undefined && (typeof value !== 'string' || value === '')) this.fail(`option "${name}" must be a non-empty string.`)
    return value
  }

  /** A string option that has no default (morph, through). */
  requiredString(name: string): string {
    return this.stringOption(name) ?? this.fail(`option "${name}" is required.`)
  }
}

const quoted = (props: readonly string[]) => props.map((p) => `"${p}"`).join(', ')

/** `foreign key "userId" not found on posts. Columns: id, authorId, title.` */
function notFound(what: string, looked: string, side: Side): string {
  return `${what} ${looked} not found on ${side.key}. Columns: ${side.meta.columns.map((c) => c.prop).join(', ')}.`
}

/** Fails naming every conventional property tried; `hint` says what else was tried. */
export function missingKey(scope: RelationScope, side: Side, what: string, conventions: readonly string[], hint = ''): never {
  const looked = [...new Set(conventions)].map((p) => `"${p}"`).join(' or ')
  return scope.fail(notFound(what, looked, side) + hint)
}

/** A table of the schema by key; an unknown key lists the valid ones. */
export function tableSide(scope: RelationScope, tables: ReadonlyMap<string, TableMeta>, key: unknown, what = 'table key'): Side {
  const meta = typeof key === 'string' ? tables.get(key) : undefined
  if (!meta) scope.fail(`unknown ${what} "${String(key)}". Table keys: ${[...tables.keys()].join(', ')}.`)
  return { key: key as string, meta }
}

/** A key given in the options: every property must be a column of `side`. */
export function givenKey(scope: RelationScope, side: Side, what: string, option: KeyOption): KeyColumns {
  const props = typeof option === 'string' ? [option] : option
  if (!Array.isArray(props) || props.length === 0 || props.some((p) => typeof p !== 'string')) {
    scope.fail(`${what} must be a property name or a non-empty array of property names.`)
  }
  return Object.freeze(props.map((p) => side.meta.byProp.get(p) ?? scope.fail(notFound(what, `"${p}"`, side))))
}

/** The given key, else the first conventional property that `side` has, else an error naming all it tried. */
export function keyOf(scope: RelationScope, side: Side, what: string, option: unknown, conventions: readonly string[]): KeyColumns {
  if (option !== undefined) return givenKey(scope, side, what, option as KeyOption)
  return conventionalKey(side, conventions) ?? missingKey(scope, side, what, conventions)
}

/** The first of `conventions` that is a property of `side`, or undefined. */
export function conventionalKey(side: Side, conventions: readonly string[]): KeyColumns | undefined {
  for (const prop of conventions) {
    const column = side.meta.byProp.get(prop)
    if (column) return Object.freeze([column])
  }
  return undefined
}

/** The given key, else the primary key of `side`. */
export function keyOrPrimary(scope: RelationScope, side: Side, what: string, option: unknown): KeyColumns {
  if (option !== undefined) return givenKey(scope, side, what, option as KeyOption)
  if (side.meta.primaryKey.length === 0) scope.fail(`${what}: ${side.key} has no primary key; name the key in the options.`)
  return Object.freeze(side.meta.primaryKey.map((p) => side.meta.byProp.get(p)!))
}

/** Both sides of a key match need the same number of columns (composite keys pair up in order). */
export function sameLength(scope: RelationScope, aWhat: string, a: KeyColumns, bWhat: string, b: KeyColumns): void {
  if (a.length === b.length) return
  const list = (k: KeyColumns) => quoted(k.map((c) => c.prop))
  scope.fail(
    `${aWhat} (${list(a)}) has ${a.length} column${a.length > 1 ? 's' : ''} but ${bWhat} (${list(b)}) has ${b.length}; ` +
      `give both as arrays of the same length.`,
  )
}

/** Plain JS callers may misspell an option; a silently ignored `foriegnKey` would resolve the wrong column. */
export function checkOptionNames(scope: RelationScope, allowed: readonly string[]): void {
  const options = scope.def.options
  if (!options || typeof options !== 'object') scope.fail('the options must be an object.')
  for (const name of Object.keys(options)) {
    if (!allowed.includes(name)) scope.fail(`unknown option "${name}". Options of ${scope.def.kind}: ${allowed.join(', ')}.`)
  }
}
