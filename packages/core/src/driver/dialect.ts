import type { OrmError } from '../errors.js'
import type { SqlCompiler, CompiledQuery } from '../sql/compiler.js'
import type { DdlCompiler } from '../sql/ddl-compiler.js'
import type { Capabilities } from './capabilities.js'
import type { Codecs } from './codecs.js'

export type Isolation = 'read committed' | 'repeatable read' | 'serializable'

/** What a driver gives back for one statement. */
export interface DriverResult {
  /** Arrays (rowMode 'array', in select-list order) or objects keyed by column name (rowMode 'object'). */
  readonly rows: readonly unknown[]
  /** Rows changed by INSERT/UPDATE/DELETE. */
  readonly affectedRows: number
  /** The first generated id of an INSERT, where the driver reports one. */
  readonly insertId?: number | bigint
}

export type RowMode = 'array' | 'object'

/** One connection of the pool (or the one embedded database), held by a statement or a transaction. */
export interface Connection {
  execute(query: CompiledQuery, rowMode: RowMode): Promise<DriverResult>
  begin(isolation?: Isolation): Promise<void>
  commit(): Promise<void>
  rollback(): Promise<void>
  savepoint(name: string): Promise<void>
  releaseSavepoint(name: string): Promise<void>
  rollbackToSavepoint(name: string): Promise<void>
  /** Give the connection back. `broken` tells the pool to drop it instead of reusing it. */
  release(broken?: boolean): void
}

/** Opens, lends and closes connections. */
export interface Driver {
  /** Called once, on first use: open the pool, check the server, return capability corrections. */
  connect(): Promise<Partial<Capabilities>>
  acquire(): Promise<Connection>
  close(): Promise<void>
}

/** Introspected database structure, for `orm pull`. */
export interface IntrospectedColumn {
  name: string
  /** The database type as the database spells it (`varchar(255)`, `timestamp(3) with time zone`, `DATE_TEXT`). */
  dataType: string
  nullable: boolean
  /**
   * The default as SQL text, string literals in standard quoting (`'it''s'`, a backslash is itself), or null.
   * Casts may follow (`'a'::character varying`); expressions are as the database reports them.
   */
  default?: string | null
  autoIncrement: boolean
  /** The allowed values, when a CHECK constraint limits the column to a list of strings (`col IN ('a', 'b')`). */
  enumValues?: string[]
}
export interface IntrospectedForeignKey {
  columns: string[]
  referencedTable: string
  referencedColumns: string[]
  /** Lower case: 'cascade', 'set null', 'set default', 'restrict', 'no action'. */
  onDelete?: string
  onUpdate?: string
}
export interface IntrospectedTable {
  name: string
  columns: IntrospectedColumn[]
  primaryKey: string[]
  uniques: string[][]
  foreignKeys: IntrospectedForeignKey[]
}
export interface Introspector {
  tables(connection: Connection): Promise<IntrospectedTable[]>
}

/**
 * A lock across processes, named per database (`orm migrate` holds one for its run). How a dialect takes it is
 * its own: an advisory lock of the session (PostgreSQL, MySQL), or the database's write lock (SQLite).
 */
export interface DialectLock {
  /**
   * true: the lock is a write transaction on the connection (SQLite's BEGIN IMMEDIATE). The work under it runs
   * on that connection, its transactions becoming savepoints, and `release` commits what it did.
   * false: the connection only holds the lock; the work runs on other connections of the pool.
   */
  readonly transactional: boolean
  /** Takes the lock on this connection, waiting up to `timeoutMs`; false when another holder kept it that long. */
  acquire(connection: Connection, name: string, timeoutMs: number): Promise<boolean>
  release(connection: Connection, name: string): Promise<void>
}

/**
 * A dialect: everything the core needs to talk to one kind of database. The core asks its capabilities,
 * never its name (the name is only for messages).
 */
export interface Dialect {
  readonly name: string
  /** Capabilities before connecting; the driver's `connect()` corrects them from the server. */
  readonly capabilities: Capabilities
  readonly codecs: Codecs
  createDriver(): Driver
  createCompiler(capabilities: Capabilities): SqlCompiler
  createDdlCompiler(compiler: SqlCompiler): DdlCompiler
  /** Map a driver error to the ORM's error classes (constraint errors normalized; QueryError otherwise). */
  mapError(error: unknown, sql?: string): OrmError
  readonly introspector?: Introspector
  /** A lock across processes; without one, `db.schema.withLock` runs its function unlocked. */
  readonly lock?: DialectLock
}
