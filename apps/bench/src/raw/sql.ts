import type Database from 'better-sqlite3'
import { createPool, type Pool as MysqlPool, type PoolConnection, type RowDataPacket } from 'mysql2/promise'
import pg from 'pg'

export type Row = Record<string, unknown>

/**
 * The raw side of the relationship workloads (W1-W9): hand-written SQL with `?` placeholders, run through the
 * driver alone, prepared where the driver allows (better-sqlite3 statements cached by text, pg named statements,
 * mysql2 `execute`). Booleans are bound as 1/0 on SQLite and MySQL, dates as ISO text on SQLite (as the ORM
 * stores them). `statements` counts what is sent, transaction control included.
 */
export interface RawSql {
  readonly dialect: 'sqlite' | 'pg' | 'mysql'
  statements: number
  all(text: string, params?: readonly unknown[]): Promise<Row[]>
  /** Runs `fn` in a transaction on one connection. */
  tx<T>(fn: (q: RawSql) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export function sqliteSql(db: Database.Database): RawSql {
  const cache = new Map<string, Database.Statement>()
  const bind = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.toISOString() : v)
  const q: RawSql = {
    dialect: 'sqlite',
    statements: 0,
    async all(text, params = []) {
      q.statements++
      let stmt = cache.get(text)
      if (!stmt) cache.set(text, (stmt = db.prepare(text)))
      const args = params.map(bind)
      return (stmt.reader ? stmt.all(args) : (stmt.run(args), [])) as Row[]
    },
    async tx(fn) {
      q.statements++
      db.exec('BEGIN')
      try {
        const result = await fn(q)
        q.statements++
        db.exec('COMMIT')
        return result
      } catch (error) {
        db.exec('ROLLBACK')
        throw error
      }
    },
    async close() {},
  }
  return q
}

/**
 * A transaction on `c`, a connection taken from a pool (pg or mysql2): BEGIN, `fn`, COMMIT (ROLLBACK when `fn`
 * throws), then `c` goes back to the pool. BEGIN and COMMIT are counted on `root`, as every statement is.
 */
async function poolTx<C extends { query(text: string): Promise<unknown>; release(): void }, T>(c: C, root: RawSql, fn: (c: C) => Promise<T>): Promise<T> {
  try {
    root.statements++
    await c.query('BEGIN')
    const result = await fn(c)
    root.statements++
    await c.query('COMMIT')
    return result
  } catch (error) {
    await c.query('ROLLBACK')
    throw error
  } finally {
    c.release()
  }
}

export function pgSql(connectionString: string): RawSql {
  const pool = new pg.Pool({ connectionString })
  const names = new Map<string, { name: string; text: string }>()
  const prepared = (text: string) => {
    let entry = names.get(text)
    if (!entry) {
      let n = 0
      entry = { name: `bench_w${names.size}`, text: text.replace(/\?/g, () => `$${++n}`) }
      names.set(text, entry)
    }
    return entry
  }
  const make = (client: pg.Pool | pg.PoolClient): RawSql => {
    const q: RawSql = {
      dialect: 'pg',
      statements: 0,
      async all(text, params = []) {
        root.statements++
        const { name, text: pgText } = prepared(text)
        return (await client.query({ name, text: pgText, values: params as unknown[] })).rows as Row[]
      },
      tx: async (fn) => poolTx(await pool.connect(), root, (c) => fn(make(c))),
      close: () => pool.end(),
    }
    return q
  }
  const root = make(pool)
  return root
}

export function mysqlSql(uri: string): RawSql {
  const pool = createPool({ uri, timezone: 'Z' })
  const bind = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)
  const make = (client: MysqlPool | PoolConnection): RawSql => {
    const q: RawSql = {
      dialect: 'mysql',
      statements: 0,
      async all(text, params = []) {
        root.statements++
        const [rows] = await client.execute<RowDataPacket[]>(text, params.map(bind) as never)
        return Array.isArray(rows) ? (rows as Row[]) : []
      },
      tx: async (fn) => poolTx(await pool.getConnection(), root, (c) => fn(make(c))),
      close: () => pool.end(),
    }
    return q
  }
  const root = make(pool)
  return root
}

/** `?, ?, ?` */
export const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ')
