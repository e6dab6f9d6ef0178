import { foreignKeyProp } from './conventions.js'
import { conventionalKey, givenKey, keyOrPrimary, missingKey, sameLength, tableSide, type RelationScope, type Side } from './relation-keys.js'
import type { KeyOption } from './relations.js'
import type { HasRelation, KeyColumns, MorphCondition, MorphOneRelation, ThroughRelation } from './resolved-relation.js'
import type { TableMeta } from './table.js'

/** The direct relations declared from one table key to another (hasOne/hasMany/morphOne/morphMany). */
export type DeclaredHops = (from: string, to: string) => readonly (HasRelation | MorphOneRelation)[]

interface Hop {
  readonly localKey: KeyColumns
  readonly key: KeyColumns
  readonly morph?: MorphCondition
}

/**
 * hasOneThrough / hasManyThrough: parent -> through -> target, two hasMany-like hops.
 * Each hop's key is the option, else the convention (`<singular parent>Id` on through, `<singular through>Id`
 * on the target), else the key of the one hasOne/hasMany/morphOne/morphMany already declared for that hop,
 * so that `users.comments` through `posts` follows `users.posts` (authorId) and `posts.comments` (a morph).
 */
export function resolveThrough(scope: RelationScope, tables: ReadonlyMap<string, TableMeta>, declared: DeclaredHops): ThroughRelation {
  const parent = tableSide(scope, tables, scope.table)
  const target = tableSide(scope, tables, scope.def.targets[0])
  const through = tableSide(scope, tables, scope.requiredString('through'), 'through table key')
  const first = hop(scope, parent, through, declared, { key: 'throughForeignKey', what: 'through foreign key', local: 'localKey', localWhat: 'local key' })
  const second = hop(scope, through, target, declared, { key: 'foreignKey', what: 'foreign key', local: 'throughLocalKey', localWhat: 'through local key' })
  const kind = scope.def.kind as ThroughRelation['kind']
  return {
    kind, name: scope.name, table: scope.table, many: kind === 'hasManyThrough', target: target.key, through: through.key,
    localKey: first.localKey, firstKey: first.key, firstMorph: first.morph,
    secondLocalKey: second.localKey, secondKey: second.key, secondMorph: second.morph,
  }
}

interface HopNames {
  readonly key: string
  readonly what: string
  readonly local: string
  readonly localWhat: string
}

/** One hop: `to.key` points at `from.localKey`. */
function hop(scope: RelationScope, from: Side, to: Side, declared: DeclaredHops, names: HopNames): Hop {
  const keyOption = scope.option(names.key)
  const localOption = scope.option(names.local)
  let result: { key: KeyColumns; localKey?: KeyColumns; morph?: MorphCondition }
  if (keyOption !== undefined) {
    result = { key: givenKey(scope, to, names.what, keyOption as KeyOption) }
  } else {
    const convention = foreignKeyProp(from.key)
    const key = conventionalKey(to, [convention])
    if (key) {
      result = { key }
    } else {
      const found = declared(from.key, to.key)
      if (found.length !== 1) {
        const why = found.length ? `${found.length} (${found.map((r) => r.name).join(', ')})` : 'none'
        missingKey(scope, to, names.what, [convention], ` Relations from ${from.key} to ${to.key} to take it from: ${why}.`)
      }
      const only = found[0]
      const morph = only.kind === 'morphOne' || only.kind === 'morphMany' ? { morphType: only.morphType, morphValue: only.morphValue } : undefined
      result = { key: only.foreignKey, localKey: only.localKey, morph }
    }
  }
  // An explicit local key wins over the one a declared relation brings.
  const localKey = localOption !== undefined || !result.localKey ? keyOrPrimary(scope, from, names.localWhat, localOption) : result.localKey
  sameLength(scope, names.what, result.key, names.localWhat, localKey)
  return { localKey, key: result.key, morph: result.morph && Object.freeze(result.morph) }
}
