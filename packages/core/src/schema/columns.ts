import type { SqlFragment } from '../sql/sql-template.js'

/** The column kinds of API.md section 1. Each dialect maps a kind to a database type and a codec. */
export type ColumnKind =
  | 'id' | 'integer' | 'bigint' | 'float' | 'decimal' | 'string' | 'text' | 'boolean'
  | 'timestamp' | 'date' | 'json' | 'uuid' | 'binary' | 'enum'

export type ReferentialAction = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action'

export interface ReferenceTarget {
  readonly table: { readonly $name: string }
  readonly prop: string
}

export interface ColumnConfig {
  readonly kind: ColumnKind
  readonly name?: string
  readonly nullable: boolean
  readonly default?: { readonly value: unknown } | { readonly now: true } | { readonly random: true }
  readonly primaryKey: boolean
  readonly autoIncrement: boolean
  readonly unique: boolean
  readonly index: boolean
  readonly references?: {
    readonly target: () => ReferenceTarget
    readonly onDelete?: ReferentialAction
    readonly onUpdate?: ReferentialAction
  }
  readonly length?: number
  readonly precision?: number
  readonly scale?: number
  readonly values?: readonly string[]
  /** bigint/id columns: 'number' (default, an error beyond 2^53) or 'bigint'. */
  readonly mode?: 'number' | 'bigint'
  /** Set by model() and table options: automatic timestamps and soft deletes. */
  readonly role?: 'createdAt' | 'updatedAt' | 'deletedAt'
}

/**
 * A column definition. The type parameters carry the JS type, nullability and whether an insert may omit it.
 * Builders are immutable: every modifier returns a new column.
 */
export class Column<T = unknown, N extends boolean = boolean, D extends boolean = boolean> {
  declare readonly _type: T
  declare readonly _nullable: N
  declare readonly _hasDefault: D
  constructor(readonly config: ColumnConfig) {}

  private with<T2 = T, N2 extends boolean = N, D2 extends boolean = D>(patch: Partial<ColumnConfig>): Column<T2, N2, D2> {
    return new Column<T2, N2, D2>({ ...this.config, ...patch })
  }

  /** The column accepts NULL (and so may be left out of an insert). */
  nullable(): Column<T, true, D> {
    return this.with<T, true, D>({ nullable: true })
  }
  /** A default value used by the database when an insert leaves the column out. */
  default(value: T | SqlFragment): Column<T, N, true> {
    return this.with<T, N, true>({ default: { value } })
  }
  /** Defaults to the current time (timestamp and date columns). */
  defaultNow(): Column<T, N, true> {
    return this.with<T, N, true>({ default: { now: true } })
  }
  /** uuid columns: a random UUID made by the ORM when an insert leaves the column out. */
  defaultRandom(): Column<T, N, true> {
    return this.with<T, N, true>({ default: { random: true } })
  }
  primaryKey(): Column<T, N, D> {
    return this.with({ primaryKey: true })
  }
  unique(): Column<T, N, D> {
    return this.with({ unique: true })
  }
  index(): Column<T, N, D> {
    return this.with({ index: true })
  }
  references(
    target: () => ReferenceTarget,
    options: { onDelete?: ReferentialAction; onUpdate?: ReferentialAction } = {},
  ): Column<T, N, D> {
    return this.with({ references: { target, ...options } })
  }
  /** The column's name in the database, when snake_case of the property is not it. */
  column(name: string): Column<T, N, D> {
    return this.with({ name })
  }
}

export type AnyColumn = Column<any, boolean, boolean>

const base = { nullable: false, primaryKey: false, autoIncrement: false, unique: false, index: false } as const

function make<T, D extends boolean = false>(kind: ColumnKind, extra: Partial<ColumnConfig> = {}): Column<T, false, D> {
  return new Column<T, false, D>({ ...base, kind, ...extra })
}

interface BigintMode<M extends 'number' | 'bigint'> {
  mode: M
}

function id(): Column<number, false, true>
function id<M extends 'number' | 'bigint'>(options: BigintMode<M>): Column<M extends 'bigint' ? bigint : number, false, true>
function id(options?: { mode: 'number' | 'bigint' }): Column<any, false, true> {
  return make('id', { primaryKey: true, autoIncrement: true, mode: options?.mode ?? 'number' })
}

function bigint(): Column<number, false, false>
function bigint<M extends 'number' | 'bigint'>(options: BigintMode<M>): Column<M extends 'bigint' ? bigint : number, false, false>
function bigint(options?: { mode: 'number' | 'bigint' }): Column<any, false, false> {
  return make('bigint', { mode: options?.mode ?? 'number' })
}

/** The column builders: `col.string()`, `col.bigint().nullable()`, ... */
export const col = {
  /** Auto-increment primary key. A JS number, or `{ mode: 'bigint' }` for bigint. */
  id,
  integer: () => make<number>('integer'),
  bigint,
  /** Double precision. */
  float: () => make<number>('float'),
  /** Exact decimal, a string in JS so that no digit is lost. */
  decimal: (options: { precision?: number; scale?: number } = {}) =>
    make<string>('decimal', { precision: options.precision ?? 18, scale: options.scale ?? 2 }),
  string: (options: { length?: number } = {}) => make<string>('string', { length: options.length ?? 255 }),
  text: () => make<string>('text'),
  boolean: () => make<boolean>('boolean'),
  /** A point in time with milliseconds, a Date in JS, stored in UTC. */
  timestamp: () => make<Date>('timestamp'),
  /** A calendar date, a 'YYYY-MM-DD' string in JS (no time zone to shift it). */
  date: () => make<string>('date'),
  json: <T = unknown>() => make<T>('json'),
  uuid: () => make<string>('uuid'),
  /** Bytes, a Uint8Array in JS (drivers may hand back a Buffer, which is one). */
  binary: () => make<Uint8Array>('binary'),
  enum: <const V extends readonly string[]>(values: V) => make<V[number]>('enum', { values }),
}

/** id, createdAt, updatedAt and deletedAt (soft delete), like gorm.Model. */
export function model() {
  return {
    id: col.id(),
    createdAt: new Column<Date, false, true>({ ...col.timestamp().config, role: 'createdAt' }),
    updatedAt: new Column<Date, false, true>({ ...col.timestamp().config, role: 'updatedAt' }),
    deletedAt: new Column<Date, true, true>({ ...col.timestamp().config, nullable: true, role: 'deletedAt' }),
  }
}
