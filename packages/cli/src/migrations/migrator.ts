import { pathToFileURL } from 'node:url'
import type { Dialect, SchemaApi, SqlFragment, TransactionOptions } from '@orm/core'
import { LockTimeoutError, SQL_NODE, sql } from '@orm/core'
import { CliError, firstLine } from '../errors.js'
import { listMigrations, type MigrationFile } from './files.js'

/**
 * The db a migration's `up` and `down` receive: `db.schema` (createTable, dropTable), `db.execute(sql\`...\`)`,
 * `db.transaction`. It is a full `db` made with the config's schema, so `db.users` works too when one is set.
 */
export interface MigrationDb {
  readonly schema: SchemaApi<MigrationDb>
  readonly dialect: Dialect
  execute<T = Record<string, unknown>>(query: SqlFragment): Promise<T[]>
  transaction<T>(fn: (tx: MigrationDb) => Promise<T>, options?: TransactionOptions): Promise<T>
}

/** What a migration file exports. */
export interface Migration {
  up(db: MigrationDb): Promise<void> | void
  down?(db: MigrationDb): Promise<void> | void
}

export interface MigrationStatus {
  readonly name: string
  readonly ran: boolean
  readonly batch?: number
  readonly ranAt?: Date
  /** Recorded as run, but its file is gone. */
  readonly missing?: boolean
}

/** Progress of one migration, for the CLI to print. */
export interface MigrationEvent {
  readonly direction: 'up' | 'down'
  readonly name: string
  readonly phase: 'start' | 'done'
  readonly durationMs?: number
}

export interface MigratorOptions {
  db: MigrationDb
  /** The folder of migration files. */
  dir: string
  /** Default `orm_migrations`. */
  table?: string
  /** Loads a migration file (the CLI uses jiti, so files may be TypeScript). Default: `import()`. */
  load?: (path: string) => Promise<Record<string, unknown>>
  onProgress?: (event: MigrationEvent) => void
  /** How long migrate and rollback wait for another run's lock. Default 60 000 ms. */
  lockTimeoutMs?: number
}

interface Row {
  name: string
  batch: number
  ranAt: Date | undefined
}

/** A quoted identifier inside the sql template (the template quotes tables and columns for the dialect). */
const ident = (name: string) => ({ [SQL_NODE]: () => ({ kind: 'Table' as const, name }) })

/**
 * Runs migration files in name order and records each in the migrations table (name, batch, ran_at), Laravel
 * style: one `migrate` is one batch, `rollback` undoes the last batch. Each migration and its record run in one
 * transaction where the dialect's DDL is transactional (PostgreSQL, SQLite); elsewhere (MySQL, MariaDB) a
 * failing migration leaves the statements before the failure applied, and is not recorded. `migrate` and
 * `rollback` hold a lock across processes for their run, so two runs at once never apply a migration twice.
 */
export class Migrator {
  readonly table: string
  private readonly db: MigrationDb
  private readonly dir: string
  private readonly load: (path: string) => Promise<Record<string, unknown>>
  private readonly onProgress: (event: MigrationEvent) => void
  private readonly lockTimeoutMs: number
  private ensured = false

  constructor(options: MigratorOptions) {
    this.db = options.db
    this.dir = options.dir
    this.table = options.table ?? 'orm_migrations'
    this.load = options.load ?? ((path) => import(pathToFileURL(path).href))
    this.onProgress = options.onProgress ?? (() => {})
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000
  }

  /** Whether each migration runs in a transaction with its record. */
  get transactional(): boolean {
    return this.db.dialect.capabilities.transactionalDdl
  }

  files(): MigrationFile[] {
    return listMigrations(this.dir)
  }

  /** Every migration file and every recorded migration, in order, ran or pending. */
  async status(): Promise<MigrationStatus[]> {
    const rows = await this.ran()
    const byName = new Map(rows.map((r) => [r.name, r]))
    const files = this.files()
    const fileNames = new Set(files.map((f) => f.name))
    const result: MigrationStatus[] = files.map((f) => {
      const row = byName.get(f.name)
      return row ? { name: f.name, ran: true, batch: row.batch, ranAt: row.ranAt } : { name: f.name, ran: false }
    })
    for (const row of rows) {
      if (!fileNames.has(row.name)) result.push({ name: row.name, ran: true, batch: row.batch, ranAt: row.ranAt, missing: true })
    }
    return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** The migrations not run yet, in order. */
  async pending(): Promise<MigrationFile[]> {
    const ran = new Set((await this.ran()).map((r) => r.name))
    return this.files().filter((f) => !ran.has(f.name))
  }

  /**
   * Runs every pending migration, in one new batch. Stops at the first failure (the ones before it stay).
   * Holds the migration lock meanwhile: a second run waits for it, then finds nothing pending.
   */
  migrate(): Promise<{ batch: number; migrations: string[] }> {
    return this.locked((db) => this.migrateOn(db))
  }

  private async migrateOn(db: MigrationDb): Promise<{ batch: number; migrations: string[] }> {
    const rows = await this.ran(db, true)
    const ran = new Set(rows.map((r) => r.name))
    const pending = this.files().filter((f) => !ran.has(f.name))
    const batch = Math.max(0, ...rows.map((r) => r.batch)) + 1
    if (pending.length === 0) return { batch: batch - 1, migrations: [] }
    const modules = new Map<string, Migration>()
    // Load them all first: a file with a syntax error stops the batch before anything runs.
    for (const file of pending) modules.set(file.name, await this.module(file, 'up'))
    const done: string[] = []
    for (const file of pending) {
      await this.runOne(db, file.name, 'up', modules.get(file.name)!, async (tx) => {
        await tx.execute(sql`INSERT INTO ${ident(this.table)} (${ident('name')}, ${ident('batch')}, ${ident('ran_at')}) VALUES (${file.name}, ${batch}, ${new Date()})`)
      })
      done.push(file.name)
    }
    return { batch, migrations: done }
  }

  /** Undoes the last batch (or the last `steps` migrations), newest first, with each migration's `down`. Locked as migrate. */
  rollback(options: { steps?: number } = {}): Promise<{ batch?: number; migrations: string[] }> {
    return this.locked((db) => this.rollbackOn(db, options))
  }

  private async rollbackOn(db: MigrationDb, options: { steps?: number }): Promise<{ batch?: number; migrations: string[] }> {
    const rows = await this.ran(db, true)
    if (rows.length === 0) return { migrations: [] }
    const newestFirst = [...rows].reverse()
    let targets: Row[]
    if (options.steps !== undefined) {
      if (!Number.isInteger(options.steps) || options.steps < 1) throw new CliError('--step must be a whole number of migrations, 1 or more.')
      targets = newestFirst.slice(0, options.steps)
    } else {
      const last = newestFirst[0].batch
      targets = newestFirst.filter((r) => r.batch === last)
    }
    const files = new Map(this.files().map((f) => [f.name, f]))
    const modules = new Map<string, Migration>()
    for (const row of targets) {
      const file = files.get(row.name)
      if (!file) throw new CliError(`Cannot roll back ${row.name}: its file is not in ${this.dir}.`)
      const mod = await this.module(file, 'down')
      modules.set(row.name, mod)
    }
    const done: string[] = []
    for (const row of targets) {
      await this.runOne(db, row.name, 'down', modules.get(row.name)!, async (tx) => {
        await tx.execute(sql`DELETE FROM ${ident(this.table)} WHERE ${ident('name')} = ${row.name}`)
      })
      done.push(row.name)
    }
    return { batch: options.steps === undefined ? targets[0].batch : undefined, migrations: done }
  }

  /**
   * Runs `fn` holding the lock named after the migrations table (see SchemaApi.withLock), with the db to run
   * on under it (on SQLite the lock is a transaction and everything must go through it).
   */
  private locked<T>(fn: (db: MigrationDb) => Promise<T>): Promise<T> {
    return this.db.schema.withLock(this.table, fn, { timeoutMs: this.lockTimeoutMs }).catch((error: unknown) => {
      if (error instanceof LockTimeoutError) {
        throw new CliError(
          `Another orm migrate or migrate:rollback is running on this database: waited ${this.lockTimeoutMs / 1000} s ` +
            'for its lock. Run again when it has finished (or wait longer with --lock-timeout <seconds>).',
          { cause: error },
        )
      }
      throw error
    })
  }

  /** Creates the migrations table when it is not there yet. */
  async ensureTable(db: MigrationDb = this.db): Promise<void> {
    if (this.ensured) return
    await db.schema.createTable(
      this.table,
      (t) => {
        t.string('name').primary()
        t.integer('batch')
        t.timestamp('ranAt')
      },
      { ifNotExists: true },
    )
    this.ensured = true
  }

  /**
   * The recorded migrations, in the order they ran. Only migrate and rollback (under the lock) create the
   * table: status and pending only read, so they never wait for a run that holds SQLite's write lock.
   */
  private async ran(db: MigrationDb = this.db, create = false): Promise<Row[]> {
    if (create) await this.ensureTable(db)
    else if (!this.ensured && !(await db.schema.hasTable(this.table))) return []
    const rows = await db.execute<{ name: string; batch: unknown; ran_at: unknown }>(
      sql`SELECT ${ident('name')}, ${ident('batch')}, ${ident('ran_at')} FROM ${ident(this.table)}`,
    )
    return rows
      .map((r) => ({ name: String(r.name), batch: Number(r.batch), ranAt: toDate(r.ran_at) }))
      .sort((a, b) => a.batch - b.batch || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  private async module(file: MigrationFile, direction: 'up' | 'down'): Promise<Migration> {
    let mod: Record<string, unknown>
    try {
      mod = await this.load(file.path)
    } catch (error) {
      throw new CliError(`Could not load migration ${file.name}: ${firstLine(error)}`, { cause: error })
    }
    const exports = (typeof mod.up === 'function' || typeof mod.down === 'function' ? mod : (mod.default ?? mod)) as Partial<Migration>
    if (typeof exports[direction] !== 'function') {
      throw new CliError(`Migration ${file.name} has no ${direction}() function: export async function ${direction}(db) { ... }.`)
    }
    return exports as Migration
  }

  private async runOne(
    db: MigrationDb,
    name: string,
    direction: 'up' | 'down',
    mod: Migration,
    record: (db: MigrationDb) => Promise<void>,
  ): Promise<void> {
    this.onProgress({ direction, name, phase: 'start' })
    const started = performance.now()
    const body = async (scope: MigrationDb) => {
      await mod[direction]!(scope)
      await record(scope)
    }
    try {
      if (this.transactional) await db.transaction((tx) => body(tx))
      else await body(db)
    } catch (error) {
      const undone = this.transactional
        ? 'it was rolled back'
        : 'this database has no transactional DDL, so the statements it ran before the failure stay applied'
      throw new CliError(`Migration ${name} (${direction}) failed: ${firstLine(error)} (${undone}).`, { cause: error })
    }
    this.onProgress({ direction, name, phase: 'done', durationMs: performance.now() - started })
  }
}

function toDate(value: unknown): Date | undefined {
  if (value == null) return undefined
  if (value instanceof Date) return value
  const text = String(value)
  // MySQL DATETIME text has no zone; the ORM writes timestamps in UTC.
  const date = new Date(/^\d{4}-\d\d-\d\d \d/.test(text) ? text.replace(' ', 'T') + 'Z' : text)
  return Number.isNaN(date.getTime()) ? undefined : date
}
