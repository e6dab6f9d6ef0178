import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createDb, sql, type Dialect } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'
import { sqlite } from '@orm/sqlite'
import Database from 'better-sqlite3'
import { StatementCounter } from './counting.js'
import { mysqlRaw } from './raw/mysql.js'
import { pgRaw } from './raw/pg.js'
import { sqliteRaw } from './raw/sqlite.js'
import type { RawClient } from './raw/types.js'
import { mysqlSql, pgSql, sqliteSql, type RawSql } from './raw/sql.js'
import { schema } from './schema.js'
import { kyselyPeer } from './peers/kysely.js'
import { drizzlePeer } from './peers/drizzle.js'
import { sequelizePeer } from './peers/sequelize.js'
import { typeormPeer } from './peers/typeorm.js'
import type { Peer, PeerConnection } from './peers/types.js'
import type { BenchDb } from './workloads.js'

/** One database under test: the timed ORM db, a second ORM db that counts statements, and the raw baseline. */
export interface Target {
  readonly key: 'sqlite' | 'pg' | 'mysql'
  readonly title: string
  /** The timed db: no log, nothing wrapped. */
  readonly db: BenchDb
  /** The db that checks results and counts its statements through the `log` option. */
  readonly counted: BenchDb
  readonly counter: StatementCounter
  /** A new instance of the dialect the ORM dbs use (for a db with its driver replaced: compile.ts). */
  makeDialect(): Dialect
  /** The server (or library) version. */
  server(): Promise<string>
  /** The raw baseline; made after seeding, as it prepares statements over the bench tables. */
  makeRaw(batchSize: number): Promise<RawClient>
  /** The raw side of the relationship workloads. */
  makeSql(): RawSql
  /** A peer ORM on this database (see PEERS); it may refuse (a driver that does not load). */
  makePeer(name: string): Promise<Peer>
  /** Drops the bench tables and closes everything. */
  close(): Promise<void>
}

/** The peers the bench knows, in report order. */
export const PEERS = ['kysely', 'drizzle', 'typeorm', 'sequelize']
export const PEER_TITLES: Record<string, string> = { kysely: 'Kysely', drizzle: 'Drizzle', typeorm: 'TypeORM', sequelize: 'Sequelize' }

export async function makePeer(name: string, dialect: 'sqlite' | 'pg' | 'mysql', conn: PeerConnection): Promise<Peer> {
  if (name === 'kysely') return kyselyPeer(dialect, conn)
  if (name === 'drizzle') return drizzlePeer(dialect, conn)
  if (name === 'typeorm') return typeormPeer(dialect, conn)
  if (name === 'sequelize') return sequelizePeer(dialect, conn)
  throw new Error(`no peer ${name}`)
}

function withCounter(dialect: () => Dialect): { db: BenchDb; counted: BenchDb; counter: StatementCounter; makeDialect: () => Dialect } {
  const counter = new StatementCounter()
  return {
    db: createDb({ schema, dialect: dialect() }),
    counted: createDb({ schema, dialect: dialect(), log: counter.log }),
    counter,
    makeDialect: dialect,
  }
}

async function version(db: BenchDb, query: ReturnType<typeof sql>): Promise<string> {
  const [row] = await db.execute<{ v: unknown }>(query)
  return String(row?.v)
}

/** Closes the raw clients, drops the bench tables and closes both ORM dbs. */
async function closeTarget(dbs: { db: BenchDb; counted: BenchDb }, raw: RawClient | undefined, rawSql?: RawSql): Promise<void> {
  await raw?.close()
  await rawSql?.close()
  await dbs.db.schema.drop().catch(() => {})
  await dbs.db.close()
  await dbs.counted.close()
}

/** In-memory SQLite: one better-sqlite3 database shared by both ORM dbs and the raw statements. */
export function sqliteTarget(): Target {
  const handle = new Database(':memory:')
  const dbs = withCounter(() => sqlite({ database: handle }))
  let raw: RawClient | undefined
  return {
    key: 'sqlite',
    title: 'SQLite (in-memory)',
    ...dbs,
    server: async () => `SQLite ${await version(dbs.db, sql`SELECT sqlite_version() AS v`)}`,
    makeRaw: async (batchSize) => (raw = sqliteRaw(handle, driverVersion('better-sqlite3'), batchSize)),
    makeSql: () => sqliteSql(handle),
    makePeer: (name) => makePeer(name, 'sqlite', { database: handle }),
    async close() {
      await closeTarget(dbs, raw)
      handle.close()
    },
  }
}

export function pgTarget(connectionString: string): Target {
  const dbs = withCounter(() => pg({ connectionString }))
  let raw: RawClient | undefined
  let rawSql: RawSql | undefined
  return {
    key: 'pg',
    title: 'PostgreSQL',
    ...dbs,
    server: async () => `PostgreSQL ${await version(dbs.db, sql`SELECT current_setting('server_version') AS v`)}`,
    makeRaw: async (batchSize) => (raw = pgRaw(connectionString, driverVersion('pg'), batchSize)),
    makeSql: () => (rawSql = pgSql(connectionString)),
    makePeer: (name) => makePeer(name, 'pg', { url: connectionString }),
    close: () => closeTarget(dbs, raw, rawSql),
  }
}

export function mysqlTarget(uri: string): Target {
  const dbs = withCounter(() => mysql({ uri }))
  let raw: RawClient | undefined
  let rawSql: RawSql | undefined
  return {
    key: 'mysql',
    title: 'MySQL / MariaDB',
    ...dbs,
    server: async () => {
      const v = await version(dbs.db, sql`SELECT VERSION() AS v`)
      return /mariadb/i.test(v) ? `MariaDB ${v}` : `MySQL ${v}`
    },
    makeRaw: async (batchSize) => (raw = await mysqlRaw(uri, driverVersion('mysql2'), batchSize)),
    makeSql: () => (rawSql = mysqlSql(uri)),
    makePeer: (name) => makePeer(name, 'mysql', { url: uri }),
    close: () => closeTarget(dbs, raw, rawSql),
  }
}

/** `name x.y.z` from the installed package's package.json (found from its entry point, whatever its exports say). */
export function driverVersion(name: string): string {
  const require = createRequire(import.meta.url)
  let dir = dirname(require.resolve(name))
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === name) return `${name} ${pkg.version}`
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir)
  }
  return name
}
