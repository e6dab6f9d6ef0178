import { col, defineSchema, table, type AnySchema, type AnyTable } from '@orm/core'
import type { Random } from './random.js'

/** The kinds of data column the generator uses (plus keys: `id`, and `fk` for a foreign key). */
export type DataKind = 'integer' | 'string' | 'boolean' | 'decimal' | 'timestamp'
export type ColumnKind = DataKind | 'id' | 'fk'

export interface ColumnSpec {
  readonly prop: string
  readonly kind: ColumnKind
  readonly nullable: boolean
  /** fk: the table key it points at. */
  readonly target?: string
}

export interface TableSpec {
  /** The table key; the table is named `<prefix><key>` (tk_df_ta by default). */
  readonly key: string
  /** Every column, `id` first; `deletedAt` last when the table soft-deletes. */
  readonly columns: readonly ColumnSpec[]
  readonly softDelete: boolean
}

export type RelationSpec =
  | { readonly kind: 'hasMany' | 'hasOne'; readonly from: string; readonly name: string; readonly target: string; readonly foreignKey: string }
  | { readonly kind: 'belongsTo'; readonly from: string; readonly name: string; readonly target: string; readonly foreignKey: string }
  | {
      readonly kind: 'belongsToMany'
      readonly from: string
      readonly name: string
      readonly target: string
      /** The pivot column pointing at `from`, and the one pointing at `target`. */
      readonly pivotForeignKey: 'leftId' | 'rightId'
      readonly pivotRelatedKey: 'leftId' | 'rightId'
    }
  | {
      readonly kind: 'hasManyThrough'
      readonly from: string
      readonly name: string
      readonly target: string
      readonly through: string
      /** On `through`, pointing at `from`; on `target`, pointing at `through`. */
      readonly throughForeignKey: string
      readonly foreignKey: string
    }

/** The pivot of the one belongsToMany pair: `leftId` -> left table, `rightId` -> right table, and `weight`. */
export interface PivotSpec {
  readonly key: 'links'
  readonly left: string
  readonly right: string
}

export interface SchemaSpec {
  readonly tables: readonly TableSpec[]
  readonly pivot?: PivotSpec
  readonly relations: readonly RelationSpec[]
}

export const TABLE_KEYS = ['ta', 'tb', 'tc', 'td'] as const
/** The prefix of the generated tables' names: `tk_df_ta`, ..., `tk_df_links`. */
export const TABLE_PREFIX = 'tk_df_'
/** Every table a generated schema may have, in an order that drops safely (children before parents). */
export const DROP_ORDER = ['links', 'td', 'tc', 'tb', 'ta'] as const
const PREFIX: Record<DataKind, string> = { integer: 'qty', string: 'label', boolean: 'flag', decimal: 'price', timestamp: 'at' }
const KINDS: readonly DataKind[] = ['integer', 'string', 'boolean', 'decimal', 'timestamp']
export const PIVOT_WEIGHT = 'weight'

/**
 * A random schema: 3 or 4 tables in a tree (each table after the first has a foreign key to an earlier one,
 * read as hasMany or hasOne one way and belongsTo the other), maybe a self-reference (parent / children), maybe
 * one belongsToMany pair (possibly a table with itself) over a pivot with a nullable `weight`, maybe a
 * hasManyThrough along the tree, maybe soft deletes; 2 to 4 data columns per table, most of them nullable.
 */
export function generateSchema(rand: Random): SchemaSpec {
  const count = rand.int(3, 4)
  const tables: TableSpec[] = []
  const relations: RelationSpec[] = []
  const parentOf = new Map<string, { parent: string; fk: string }>()
  for (let i = 0; i < count; i++) {
    const key = TABLE_KEYS[i]
    const columns: ColumnSpec[] = [{ prop: 'id', kind: 'id', nullable: false }]
    const dataCount = rand.int(2, 4)
    for (let c = 0; c < dataCount; c++) {
      const kind = c < 2 ? rand.pick(KINDS.filter((k) => !columns.some((x) => x.kind === k))) : rand.pick(KINDS)
      columns.push({ prop: `${PREFIX[kind]}${c + 1}`, kind, nullable: rand.chance(0.75) })
    }
    if (i > 0) {
      const parent = TABLE_KEYS[rand.int(0, i - 1)]
      const fk = `${parent}Id`
      columns.push({ prop: fk, kind: 'fk', nullable: rand.chance(0.5), target: parent })
      parentOf.set(key, { parent, fk })
      const one = rand.chance(0.2)
      relations.push({ kind: one ? 'hasOne' : 'hasMany', from: parent, name: `${key}${one ? 'One' : 'Many'}`, target: key, foreignKey: fk })
      relations.push({ kind: 'belongsTo', from: key, name: `${parent}Owner`, target: parent, foreignKey: fk })
    }
    if (rand.chance(0.3)) {
      columns.push({ prop: 'parentId', kind: 'fk', nullable: true, target: key })
      relations.push({ kind: 'belongsTo', from: key, name: 'parent', target: key, foreignKey: 'parentId' })
      relations.push({ kind: 'hasMany', from: key, name: 'children', target: key, foreignKey: 'parentId' })
    }
    const softDelete = rand.chance(0.3)
    if (softDelete) columns.push({ prop: 'deletedAt', kind: 'timestamp', nullable: true })
    tables.push({ key, columns, softDelete })
  }

  let pivot: PivotSpec | undefined
  if (rand.chance(0.7)) {
    const [left, right] = [rand.pick(tables).key, rand.pick(tables).key]
    pivot = { key: 'links', left, right }
    const self = left === right
    relations.push({ kind: 'belongsToMany', from: left, name: self ? 'linked' : `${right}Links`, target: right, pivotForeignKey: 'leftId', pivotRelatedKey: 'rightId' })
    relations.push({ kind: 'belongsToMany', from: right, name: self ? 'linkedBy' : `${left}LinkedBy`, target: left, pivotForeignKey: 'rightId', pivotRelatedKey: 'leftId' })
  }
  // hasManyThrough: a grandchild reached through a child.
  const chains = [...parentOf].flatMap(([child, { parent: middle, fk }]) => {
    const up = parentOf.get(middle)
    return up ? [{ from: up.parent, through: middle, throughForeignKey: up.fk, target: child, foreignKey: fk }] : []
  })
  if (chains.length > 0 && rand.chance(0.6)) {
    const c = rand.pick(chains)
    relations.push({ kind: 'hasManyThrough', name: `${c.target}Via${c.through[0].toUpperCase()}${c.through.slice(1)}`, ...c })
  }
  return { tables, pivot, relations }
}

export function tableOf(spec: SchemaSpec, key: string): TableSpec {
  const t = spec.tables.find((x) => x.key === key)
  if (!t) throw new Error(`no table ${key}`)
  return t
}

export function relationsOf(spec: SchemaSpec, key: string): RelationSpec[] {
  return spec.relations.filter((r) => r.from === key)
}

export function relationOf(spec: SchemaSpec, from: string, name: string): RelationSpec {
  const r = spec.relations.find((x) => x.from === from && x.name === name)
  if (!r) throw new Error(`no relation ${from}.${name}`)
  return r
}

export function isToMany(r: RelationSpec): boolean {
  return r.kind !== 'belongsTo' && r.kind !== 'hasOne'
}

function column(c: ColumnSpec, ref: (key: string) => AnyTable) {
  const base = (() => {
    switch (c.kind) {
      case 'id': return col.id()
      case 'fk': return col.bigint()
      case 'integer': return col.integer()
      case 'string': return col.string({ length: 16 })
      case 'boolean': return col.boolean()
      case 'decimal': return col.decimal({ precision: 8, scale: 2 })
      case 'timestamp': return col.timestamp()
    }
  })() as any
  let out = c.nullable ? base.nullable() : base
  if (c.kind === 'fk') out = out.references(() => ref(c.target!).id, { onDelete: 'cascade' })
  return out
}

/**
 * The schema `spec` describes, through the public API (`table`, `col`, `defineSchema`), its tables named
 * `<prefix><key>` (two dialects on one database take two prefixes).
 */
export function buildSchema(spec: SchemaSpec, prefix = TABLE_PREFIX): AnySchema {
  const defs: Record<string, AnyTable> = {}
  const ref = (key: string) => defs[key]
  for (const t of spec.tables) {
    const columns = Object.fromEntries(t.columns.map((c) => [c.prop, column(c, ref)]))
    defs[t.key] = table(`${prefix}${t.key}`, columns, t.softDelete ? { softDelete: 'deletedAt' } : {})
  }
  if (spec.pivot) {
    const p = spec.pivot
    defs.links = table(
      `${prefix}${p.key}`,
      {
        leftId: column({ prop: 'leftId', kind: 'fk', nullable: false, target: p.left }, ref),
        rightId: column({ prop: 'rightId', kind: 'fk', nullable: false, target: p.right }, ref),
        [PIVOT_WEIGHT]: col.integer().nullable(),
      },
      { primaryKey: ['leftId', 'rightId'] },
    )
  }
  return defineSchema(defs as any, (r: any) => {
    const out: Record<string, Record<string, any>> = {}
    for (const rel of spec.relations) {
      const mine = (out[rel.from] ??= {})
      switch (rel.kind) {
        case 'hasMany':
        case 'hasOne':
        case 'belongsTo':
          mine[rel.name] = r[rel.kind](rel.target, { foreignKey: rel.foreignKey })
          break
        case 'belongsToMany':
          mine[rel.name] = r.belongsToMany(rel.target, {
            pivot: 'links', pivotForeignKey: rel.pivotForeignKey, pivotRelatedKey: rel.pivotRelatedKey, pivotColumns: [PIVOT_WEIGHT],
          })
          break
        case 'hasManyThrough':
          mine[rel.name] = r.hasManyThrough(rel.target, { through: rel.through, throughForeignKey: rel.throughForeignKey, foreignKey: rel.foreignKey })
          break
      }
    }
    return out
  }) as AnySchema
}

/** The schema as a few readable lines, for a failure message. */
export function describeSchema(spec: SchemaSpec): string {
  const lines = spec.tables.map((t) => {
    const cols = t.columns.map((c) => `${c.prop} ${c.kind === 'fk' ? `-> ${c.target}` : c.kind}${c.nullable ? '?' : ''}`)
    return `  ${t.key}${t.softDelete ? ' (soft delete)' : ''}: ${cols.join(', ')}`
  })
  if (spec.pivot) lines.push(`  links: leftId -> ${spec.pivot.left}, rightId -> ${spec.pivot.right}, ${PIVOT_WEIGHT} integer?`)
  for (const r of spec.relations) {
    const keys = r.kind === 'belongsToMany' ? `pivot links ${r.pivotForeignKey}/${r.pivotRelatedKey}` : r.kind === 'hasManyThrough' ? `through ${r.through}` : r.foreignKey
    lines.push(`  ${r.from}.${r.name}: ${r.kind} ${r.target} (${keys})`)
  }
  return lines.join('\n')
}
