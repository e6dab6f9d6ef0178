import { SchemaError } from '../errors.js'
import { SQL_NODE, type SqlNodeSource } from '../sql/ast.js'
import type { AnyColumn, Column, ColumnConfig, ColumnKind } from './columns.js'
import { snakeCase } from './naming.js'

/** A column as the runtime sees it: the property, the database name, the config. */
export interface ColumnMeta {
  readonly prop: string
  readonly name: string
  readonly kind: ColumnKind
  readonly config: ColumnConfig
}

export interface IndexMeta {
  readonly columns: readonly string[]
  readonly unique: boolean
  readonly name?: string
}

/** A table resolved once, at definition time. Every lookup the runtime makes reads these maps. */
export interface TableMeta {
  readonly name: string
  readonly columns: readonly ColumnMeta[]
  readonly byProp: ReadonlyMap<string, ColumnMeta>
  readonly byName: ReadonlyMap<string, ColumnMeta>
  /** Primary key property names, in order. */
  readonly primaryKey: readonly string[]
  /** The auto-increment column, if any. */
  readonly autoIncrement?: ColumnMeta
  readonly createdAt?: ColumnMeta
  readonly updatedAt?: ColumnMeta
  readonly softDelete?: ColumnMeta
  readonly indexes: readonly IndexMeta[]
}

type Props<C> = Extract<keyof C, string>

export interface TableOptions<C> {
  /** A composite primary key, as property names. */
  primaryKey?: readonly Props<C>[]
  indexes?: readonly (readonly Props<C>[] | { columns: readonly Props<C>[]; name?: string })[]
  uniques?: readonly (readonly Props<C>[] | { columns: readonly Props<C>[]; name?: string })[]
  /** The property of the soft-delete timestamp; model() sets `deletedAt`. */
  softDelete?: Props<C> | false
  /** Automatic createdAt/updatedAt: true for those property names, or name them; false turns model()'s off. */
  timestamps?: boolean | { createdAt?: Props<C>; updatedAt?: Props<C> }
}

/** A column of a table, usable in `references(() => users.id)` and inside the `sql` template. */
export class ColumnRef<T = unknown> implements SqlNodeSource {
  declare readonly _type: T
  constructor(
    readonly table: { readonly $name: string },
    readonly prop: string,
    readonly name: string,
  ) {}
  [SQL_NODE]() {
    return { kind: 'Column', table: this.table.$name, column: this.name } as const
  }
}

export type ColumnValue<C> = C extends Column<infer T, infer N, any> ? (N extends true ? T | null : T) : never

type ColumnRefs<C extends Record<string, AnyColumn>> = { readonly [K in keyof C]: ColumnRef<ColumnValue<C[K]>> }

export type TableDef<N extends string = string, C extends Record<string, AnyColumn> = Record<string, AnyColumn>> = {
  readonly $name: N
  readonly $columns: C
  readonly $meta: TableMeta
  [SQL_NODE](): { kind: 'Table'; name: string }
} & ColumnRefs<C>

export type AnyTable = TableDef<string, any>

const RESERVED = new Set(['$name', '$columns', '$meta'])

/** The properties the `timestamps` option makes automatic (written on insert by the ORM). */
type TimestampProps<T> = T extends true
  ? 'createdAt' | 'updatedAt'
  : T extends { createdAt?: infer A; updatedAt?: infer U }
    ? Extract<A | U, string>
    : never

/** The columns, with those the ORM fills on insert typed as having a default (optional in `insert()`). */
export type WithTimestamps<C extends Record<string, AnyColumn>, P extends string> = {
  [K in keyof C]: K extends P ? (C[K] extends Column<infer T, infer Nl, any> ? Column<T, Nl, true> : C[K]) : C[K]
}

/** Defines a table: `table('users', { id: col.id(), name: col.string() })`. */
export function table<const N extends string, C extends Record<string, AnyColumn>, const O extends TableOptions<C> = {}>(
  name: N,
  columns: C,
  options: O = {} as O,
): TableDef<N, WithTimestamps<C, TimestampProps<O['timestamps']>>> {
  if (!name || typeof name !== 'string') throw new SchemaError('table() needs a table name as its first argument.')
  const meta = resolveTable(name, columns, options)
  const def: any = { $name: name, $columns: columns, $meta: meta, [SQL_NODE]: () => ({ kind: 'Table', name }) }
  for (const c of meta.columns) def[c.prop] = new ColumnRef(def, c.prop, c.name)
  return Object.freeze(def)
}

function resolveTable(name: string, columns: Record<string, AnyColumn>, options: TableOptions<any>): TableMeta {
  const list: ColumnMeta[] = []
  const byProp = new Map<string, ColumnMeta>()
  const byName = new Map<string, ColumnMeta>()
  for (const [prop, column] of Object.entries(columns)) {
    if (RESERVED.has(prop)) throw new SchemaError(`Table "${name}": "${prop}" is reserved and cannot be a column property.`)
    if (!column || typeof column !== 'object' || !('config' in column)) {
      throw new SchemaError(`Table "${name}": property "${prop}" is not a column (use col.string(), col.bigint(), ...).`)
    }
    const meta: ColumnMeta = { prop, name: column.config.name ?? snakeCase(prop), kind: column.config.kind, config: column.config }
    if (byName.has(meta.name)) {
      throw new SchemaError(`Table "${name}": properties "${byName.get(meta.name)!.prop}" and "${prop}" both map to column "${meta.name}".`)
    }
    list.push(meta)
    byProp.set(prop, meta)
    byName.set(meta.name, meta)
  }
  if (list.length === 0) throw new SchemaError(`Table "${name}" has no columns.`)

  const known = (prop: string, what: string) => {
    if (!byProp.has(prop)) {
      throw new SchemaError(`Table "${name}": ${what} names "${prop}", which is not a column. Columns: ${[...byProp.keys()].join(', ')}.`)
    }
    return prop
  }

  const declaredPk = list.filter((c) => c.config.primaryKey).map((c) => c.prop)
  if (options.primaryKey && declaredPk.length) {
    throw new SchemaError(`Table "${name}": primary key given both by the primaryKey option and by column "${declaredPk[0]}".`)
  }
  const primaryKey = options.primaryKey ? options.primaryKey.map((p) => known(p, 'primaryKey')) : declaredPk
  const autoIncrement = list.find((c) => c.config.autoIncrement)

  const roleColumn = (role: 'createdAt' | 'updatedAt' | 'deletedAt') => list.find((c) => c.config.role === role)
  let createdAt = roleColumn('createdAt')
  let updatedAt = roleColumn('updatedAt')
  const ts = options.timestamps
  if (ts === false) {
    createdAt = updatedAt = undefined
  } else if (ts) {
    const names = ts === true ? { createdAt: 'createdAt', updatedAt: 'updatedAt' } : ts
    if (names.createdAt) createdAt = byProp.get(known(names.createdAt, 'timestamps'))
    if (names.updatedAt) updatedAt = byProp.get(known(names.updatedAt, 'timestamps'))
  }
  let softDelete = roleColumn('deletedAt')
  if (options.softDelete === false) softDelete = undefined
  else if (options.softDelete) softDelete = byProp.get(known(options.softDelete, 'softDelete'))
  if (softDelete && !softDelete.config.nullable) {
    throw new SchemaError(`Table "${name}": soft-delete column "${softDelete.prop}" must be nullable.`)
  }

  const indexes: IndexMeta[] = []
  const addIndexes = (entries: TableOptions<any>['indexes'], unique: boolean) => {
    for (const entry of entries ?? []) {
      const spec: { columns: readonly string[]; name?: string } = Array.isArray(entry) ? { columns: entry } : (entry as { columns: string[]; name?: string })
      indexes.push({ columns: spec.columns.map((p: string) => known(p, unique ? 'uniques' : 'indexes')), unique, name: spec.name })
    }
  }
  addIndexes(options.indexes, false)
  addIndexes(options.uniques, true)

  return { name, columns: list, byProp, byName, primaryKey, autoIncrement, createdAt, updatedAt, softDelete, indexes }
}
