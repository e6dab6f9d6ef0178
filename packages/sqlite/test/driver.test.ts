import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import {
  ConnectionError, ForeignKeyConstraintError, n, NotNullConstraintError, QueryError, SerializationError,
  UniqueConstraintError, ValidationError, type ColumnDefinitionNode, type Connection, type Driver,
} from '@orm/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sqlite } from '../src/index.js'
import { col, column, openDatabase, rows, runAll } from './helpers.js'

const kinds: ColumnDefinitionNode[] = [
  column('id', col.id()),
  column('int_value', col.integer().nullable()),
  column('big_value', col.bigint({ mode: 'bigint' }).nullable()),
  column('float_value', col.float().nullable()),
  column('decimal_value', col.decimal({ precision: 20, scale: 2 }).nullable()),
  column('string_value', col.string().nullable()),
  column('text_value', col.text().nullable()),
  column('bool_value', col.boolean().nullable()),
  column('timestamp_value', col.timestamp().nullable()),
  column('date_value', col.date().nullable()),
  column('json_value', col.json().nullable()),
  column('uuid_value', col.uuid().nullable()),
  column('binary_value', col.binary().nullable()),
  column('enum_value', col.enum(['a', 'b'] as const).nullable()),
]
const byName = new Map(kinds.map((k) => [k.name, k]))

let db: Awaited<ReturnType<typeof openDatabase>>
let connection: Connection

beforeEach(async () => {
  db = await openDatabase()
  connection = await db.driver.acquire()
  await runAll(connection, db.ddl.compile({ kind: 'CreateTable', name: 'kinds', columns: kinds, primaryKey: ['id'], foreignKeys: [], indexes: [] }))
})

afterEach(async () => {
  connection.release()
  await db.driver.close()
})

/** Inserts one row through the compiler, reads it back through the codecs, as the ORM will. */
async function roundTrip(values: Record<string, unknown>): Promise<Record<string, unknown>> {
  const names = Object.keys(values)
  const insert = db.compiler.compile({
    kind: 'Insert',
    table: n.table('kinds'),
    columns: names,
    rows: [names.map((name) => n.value(values[name], byName.get(name)!.kind))],
    returning: ['id'],
  })
  const inserted = await connection.execute(insert, 'array')
  const id = db.dialect.codecs.decoder(byName.get('id')!)!((inserted.rows[0] as unknown[])[0])
  const select = db.compiler.compile(n.select({
    from: n.table('kinds'),
    columns: names.map((name) => n.column(name)),
    where: n.binary(n.column('id'), '=', n.value(id, 'id')),
  }))
  const [row] = (await connection.execute(select, 'array')).rows as unknown[][]
  return Object.fromEntries(names.map((name, i) => {
    const decode = db.dialect.codecs.decoder(byName.get(name)!)
    return [name, row[i] === null || !decode ? row[i] : decode(row[i])]
  }))
}

describe('values round-trip to the same JS value', () => {
  it('numbers, bigints beyond 2^53, floats and ids', async () => {
    const big = 2n ** 60n + 3n
    const values = { int_value: -7, big_value: big, float_value: 0.1 + 0.2 }
    expect(await roundTrip(values)).toEqual(values)
    expect((await roundTrip({ big_value: -(2n ** 62n) })).big_value).toBe(-(2n ** 62n))
    expect((await roundTrip({ int_value: 1 })).int_value).toBe(1)
    const [{ id }] = await rows(connection, 'SELECT max(id) AS id FROM kinds')
    expect(db.dialect.codecs.decoder(byName.get('id')!)!(id)).toBe(3)
  })

  it('a number-mode integer beyond 2^53 is an error, never a rounded number', async () => {
    await runAll(connection, [`INSERT INTO kinds (int_value) VALUES (${2n ** 53n + 1n})`])
    const [[raw]] = await rows(connection, 'SELECT int_value FROM kinds', [], 'array')
    expect(raw).toBe(2n ** 53n + 1n)
    const decode = db.dialect.codecs.decoder(byName.get('int_value')!)!
    expect(() => decode(raw)).toThrow(ValidationError)
  })

  it('decimals keep every digit and the column scale', async () => {
    expect((await roundTrip({ decimal_value: '12.5' })).decimal_value).toBe('12.50')
    expect((await roundTrip({ decimal_value: '12' })).decimal_value).toBe('12.00')
    expect((await roundTrip({ decimal_value: '-0.5' })).decimal_value).toBe('-0.50')
    expect((await roundTrip({ decimal_value: '123456789012345678.99' })).decimal_value).toBe('123456789012345678.99')
    expect((await roundTrip({ decimal_value: 7 })).decimal_value).toBe('7.00')
  })

  it('strings, booleans, uuids and enums', async () => {
    const values = {
      string_value: 'Zoë 🌍 日本 "quoted" \'single\'',
      text_value: 'x'.repeat(100_000),
      bool_value: true,
      uuid_value: randomUUID(),
      enum_value: 'b',
    }
    expect(await roundTrip(values)).toEqual(values)
    expect((await roundTrip({ bool_value: false })).bool_value).toBe(false)
  })

  it('timestamps with milliseconds, far from 1970 both ways', async () => {
    for (const iso of ['2024-02-29T23:59:59.999Z', '1900-01-01T00:00:00.001Z', '2100-12-31T12:34:56.789Z']) {
      const { timestamp_value } = await roundTrip({ timestamp_value: new Date(iso) })
      expect(timestamp_value).toBeInstanceOf(Date)
      expect((timestamp_value as Date).toISOString()).toBe(iso)
    }
    const [[stored]] = await rows(connection, 'SELECT timestamp_value FROM kinds ORDER BY id LIMIT 1', [], 'array')
    expect(stored).toBe('2024-02-29T23:59:59.999Z')
  })

  it('dates as YYYY-MM-DD, from a string or a Date', async () => {
    expect((await roundTrip({ date_value: '1900-02-28' })).date_value).toBe('1900-02-28')
    expect((await roundTrip({ date_value: new Date('2100-01-02T23:00:00Z') })).date_value).toBe('2100-01-02')
  })

  it('json objects with unicode, and a plain JSON string value', async () => {
    const doc = { name: 'Zoë 🌍 日本', list: [1, true, null, { nested: 'ü' }], n: 1.5 }
    expect((await roundTrip({ json_value: doc })).json_value).toEqual(doc)
    expect((await roundTrip({ json_value: 'just a string' })).json_value).toBe('just a string')
    expect((await roundTrip({ json_value: '{"looks":"like json"}' })).json_value).toBe('{"looks":"like json"}')
    expect((await roundTrip({ json_value: [1, 2] })).json_value).toEqual([1, 2])
    expect((await roundTrip({ json_value: false })).json_value).toBe(false)
  })

  it('binary with all 256 byte values, from a Buffer or a Uint8Array', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const { binary_value } = await roundTrip({ binary_value: bytes })
    expect(Buffer.isBuffer(binary_value)).toBe(true)
    expect(Buffer.compare(binary_value as Buffer, bytes)).toBe(0)
    const slice = new Uint8Array(bytes.buffer, bytes.byteOffset + 10, 5)
    expect([...((await roundTrip({ binary_value: slice })).binary_value as Buffer)]).toEqual([10, 11, 12, 13, 14])
  })

  it('nulls stay null', async () => {
    const values = Object.fromEntries(kinds.filter((k) => k.name !== 'id').map((k) => [k.name, null]))
    expect(await roundTrip(values)).toEqual(values)
  })

  it('decodeUnknown narrows safe integers and keeps big ones as BigInt', async () => {
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (1), (2)'])
    const [[count, huge]] = await rows(connection, 'SELECT count(*), 9007199254740993 FROM kinds', [], 'array')
    expect(db.dialect.codecs.decodeUnknown!(count)).toBe(2)
    expect(db.dialect.codecs.decodeUnknown!(huge)).toBe(9007199254740993n)
  })

  it('binds a raw boolean and Date, which better-sqlite3 alone rejects', async () => {
    const when = new Date('2024-01-01T00:00:00.000Z')
    await connection.execute({ sql: 'INSERT INTO kinds (bool_value, timestamp_value) VALUES (?, ?)', params: [true, when] }, 'array')
    expect(await rows(connection, 'SELECT bool_value, timestamp_value FROM kinds', [], 'array')).toEqual([[1n, when.toISOString()]])
  })
})

describe('execute', () => {
  it('reports changes and the FIRST id of a multi-row insert', async () => {
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (0)'])
    const result = await connection.execute({ sql: 'INSERT INTO kinds (int_value) VALUES (?), (?), (?)', params: [1, 2, 3] }, 'array')
    expect(result).toEqual({ rows: [], affectedRows: 3, insertId: 2 })
    const update = await connection.execute({ sql: 'UPDATE kinds SET int_value = int_value + 1 WHERE id > ?', params: [1] }, 'array')
    expect(update).toEqual({ rows: [], affectedRows: 3, insertId: undefined })
  })

  it('counts RETURNING rows as affected; a SELECT affects none', async () => {
    const inserted = await connection.execute({ sql: 'INSERT INTO kinds (int_value) VALUES (?), (?) RETURNING id, int_value', params: [5, 6] }, 'object')
    expect(inserted.rows).toEqual([{ id: 1n, int_value: 5n }, { id: 2n, int_value: 6n }])
    expect(inserted.affectedRows).toBe(2)
    const deleted = await connection.execute({ sql: 'DELETE FROM kinds WHERE id = ? RETURNING id', params: [2] }, 'array')
    expect(deleted).toMatchObject({ rows: [[2n]], affectedRows: 1 })
    const selected = await connection.execute({ sql: 'SELECT id FROM kinds', params: [] }, 'array')
    expect(selected).toMatchObject({ rows: [[1n]], affectedRows: 0 })
  })

  it('binds whole JS numbers as INTEGER, not as better-sqlite3\'s default REAL', async () => {
    expect(await rows(connection, 'SELECT 10 / ?, typeof(?), ? + 0.5', [4, 1, 2], 'array')).toEqual([[2n, 'integer', 2.5]])
    await connection.execute({ sql: 'INSERT INTO kinds (string_value, float_value) VALUES (?, ?)', params: [5, 3] }, 'array')
    expect(await rows(connection, 'SELECT string_value, float_value FROM kinds', [], 'array')).toEqual([['5', 3]])
  })

  it('one cached statement serves both row modes, and duplicate names survive in array mode', async () => {
    const sql = 'SELECT 1 AS a, 2 AS a'
    expect((await connection.execute({ sql, params: [] }, 'array')).rows).toEqual([[1n, 2n]])
    expect((await connection.execute({ sql, params: [] }, 'object')).rows).toEqual([{ a: 2n }])
    expect((await connection.execute({ sql, params: [] }, 'array')).rows).toEqual([[1n, 2n]])
  })

  it('works with a tiny statement cache and with none', async () => {
    for (const size of [0, 1]) {
      const small = await openDatabase({ statementCacheSize: size })
      const c = await small.driver.acquire()
      for (let i = 0; i < 5; i++) {
        expect(await rows(c, `SELECT ${i % 3} + ? AS v`, [i], 'array')).toEqual([[BigInt((i % 3) + i)]])
      }
      c.release()
      await small.driver.close()
    }
  })
})

describe('transactions', () => {
  const count = async () => Number((await rows(connection, 'SELECT count(*) AS c FROM kinds'))[0].c)

  it('commit keeps and rollback undoes', async () => {
    await connection.begin()
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (1)'])
    await connection.commit()
    await connection.begin('read committed')
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (2)', 'DELETE FROM kinds WHERE int_value = 1'])
    expect(await count()).toBe(1)
    await connection.rollback()
    expect(await rows(connection, 'SELECT int_value FROM kinds', [], 'array')).toEqual([[1n]])
  })

  it('savepoints undo only what came after them, nested', async () => {
    await connection.begin()
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (1)'])
    await connection.savepoint('outer')
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (2)'])
    await connection.savepoint('in"ner')
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (3)'])
    await connection.rollbackToSavepoint('in"ner')
    await connection.releaseSavepoint('in"ner')
    await connection.releaseSavepoint('outer')
    await connection.savepoint('later')
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (4)'])
    await connection.rollbackToSavepoint('later')
    await connection.releaseSavepoint('later')
    await connection.commit()
    expect(await rows(connection, 'SELECT int_value FROM kinds ORDER BY int_value', [], 'array')).toEqual([[1n], [2n]])
  })

  it('a failed statement does not abort the transaction', async () => {
    await connection.begin()
    await runAll(connection, ['INSERT INTO kinds (id, int_value) VALUES (1, 1)'])
    await expect(runAll(connection, ['INSERT INTO kinds (id, int_value) VALUES (1, 2)'])).rejects.toThrow(UniqueConstraintError)
    await runAll(connection, ['INSERT INTO kinds (id, int_value) VALUES (2, 2)'])
    await connection.commit()
    expect(await count()).toBe(2)
  })

  it('releasing a connection inside a transaction rolls it back for the next holder', async () => {
    await connection.begin()
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (1)'])
    connection.release()
    connection = await db.driver.acquire()
    expect(await count()).toBe(0)
    await connection.begin()
    await connection.rollback()
  })
})

describe('the single connection', () => {
  it('serializes two acquirers: the second waits until the first releases', async () => {
    const log: string[] = []
    const second = db.driver.acquire().then((c) => {
      log.push('second acquired')
      return c
    })
    await runAll(connection, ['INSERT INTO kinds (int_value) VALUES (1)'])
    await new Promise((resolve) => setTimeout(resolve, 20))
    log.push('first still working')
    connection.release()
    connection = await second
    expect(log).toEqual(['first still working', 'second acquired'])
    expect(await rows(connection, 'SELECT int_value FROM kinds', [], 'array')).toEqual([[1n]])
  })

  it('hands the connection out first come, first served, and one transaction at a time', async () => {
    const order: number[] = []
    const workers = [1, 2, 3].map(async (i) => {
      const c = await db.driver.acquire()
      try {
        await c.begin()
        order.push(i)
        await new Promise((resolve) => setTimeout(resolve, 5))
        await c.execute({ sql: 'INSERT INTO kinds (int_value) VALUES (?)', params: [i] }, 'array')
        await c.commit()
      } finally {
        c.release()
      }
    })
    connection.release()
    await Promise.all(workers)
    connection = await db.driver.acquire()
    expect(order).toEqual([1, 2, 3])
    expect(await rows(connection, 'SELECT int_value FROM kinds ORDER BY id', [], 'array')).toEqual([[1n], [2n], [3n]])
  })

  it('a released connection refuses work, and releasing twice does not free the lock twice', async () => {
    const stale = connection
    stale.release()
    connection = await db.driver.acquire()
    stale.release()
    let third = false
    const pending = db.driver.acquire().then((c) => {
      third = true
      return c
    })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(third).toBe(false)
    await expect(stale.execute({ sql: 'SELECT 1', params: [] }, 'array')).rejects.toThrow(ConnectionError)
    connection.release()
    connection = await pending
  })
})

describe('errors', () => {
  beforeEach(async () => {
    await runAll(connection, [
      'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, first TEXT, last TEXT, UNIQUE (first, last))',
      'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id))',
      `INSERT INTO users (id, email, first, last) VALUES (1, 'a@x', 'Ann', 'Lee')`,
    ])
  })

  async function failure(sql: string, params: unknown[]): Promise<unknown> {
    try {
      await connection.execute({ sql, params }, 'array')
    } catch (error) {
      return error
    }
    throw new Error('the statement did not fail')
  }

  it('unique violations name the table and the columns', async () => {
    const sql = 'INSERT INTO users (id, email) VALUES (?, ?)'
    const single = await failure(sql, [2, 'a@x'])
    expect(single).toBeInstanceOf(UniqueConstraintError)
    expect(single).toMatchObject({ table: 'users', columns: ['email'], sql, code: 'UNIQUE_VIOLATION' })
    expect((single as Error).message).not.toContain('a@x')

    const composite = await failure('INSERT INTO users (id, email, first, last) VALUES (?, ?, ?, ?)', [3, 'b@x', 'Ann', 'Lee'])
    expect(composite).toMatchObject({ table: 'users', columns: ['first', 'last'] })
    expect(composite).toBeInstanceOf(UniqueConstraintError)

    const primary = await failure(sql, [1, 'c@x'])
    expect(primary).toBeInstanceOf(UniqueConstraintError)
    expect(primary).toMatchObject({ table: 'users', columns: ['id'] })
  })

  it('foreign key violations, from the child and from the parent', async () => {
    const child = await failure('INSERT INTO "posts" (id, user_id) VALUES (?, ?)', [1, 42])
    expect(child).toBeInstanceOf(ForeignKeyConstraintError)
    expect(child).toMatchObject({ table: 'posts', code: 'FOREIGN_KEY_VIOLATION' })
    await runAll(connection, ['INSERT INTO posts (id, user_id) VALUES (1, 1)'])
    const parent = await failure('DELETE FROM users WHERE id = ?', [1])
    expect(parent).toBeInstanceOf(ForeignKeyConstraintError)
    expect(parent).toMatchObject({ table: 'users' })
  })

  it('not-null violations name the table and the column', async () => {
    const error = await failure('INSERT INTO users (id, email) VALUES (?, ?)', [5, null])
    expect(error).toBeInstanceOf(NotNullConstraintError)
    expect(error).toMatchObject({ table: 'users', columns: ['email'] })
  })

  it('a bad statement is a QueryError with the SQL and the cause, never the bound values', async () => {
    const sql = 'SELECT * FROM users WHERE nope = ?'
    const error = await failure(sql, ['secret-value-123'])
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ sql, message: 'no such column: nope' })
    expect((error as QueryError).cause).toMatchObject({ code: 'SQLITE_ERROR' })
    expect(JSON.stringify(error) + String(error)).not.toContain('secret-value-123')

    const unbindable = await failure('SELECT ?', [{ secret: 'secret-value-123' }])
    expect(unbindable).toBeInstanceOf(QueryError)
    expect((unbindable as Error).message).not.toContain('secret-value-123')
  })

  it('an OrmError passes through mapError unchanged', () => {
    const error = new ValidationError('bad')
    expect(db.dialect.mapError(error)).toBe(error)
  })
})

describe('the driver', () => {
  it('reports capabilities for the bundled SQLite', async () => {
    expect(db.capabilities).toMatchObject({
      returning: { insert: true, update: true, delete: true },
      maxParameters: 32766,
      windowFunctions: true,
      concurrentConnections: false,
    })
    expect(await rows(connection, 'PRAGMA foreign_keys', [], 'array')).toEqual([[1n]])
  })

  it('closes idempotently and refuses new work after close', async () => {
    connection.release()
    await db.driver.close()
    await db.driver.close()
    await expect(db.driver.acquire()).rejects.toThrow(ConnectionError)
    connection = { release() {} } as unknown as Connection
  })

  it('leaves a database it was given open', async () => {
    const given = new Database(':memory:')
    const driver: Driver = sqlite({ database: given }).createDriver()
    await driver.connect()
    const c = await driver.acquire()
    await runAll(c, ['CREATE TABLE t (x INTEGER)', 'INSERT INTO t VALUES (1)'])
    c.release()
    await driver.close()
    expect(given.open).toBe(true)
    expect(given.prepare('SELECT x FROM t').pluck().get()).toBe(1)
    given.close()
  })

  it('uses WAL on a file and maps a busy database to SerializationError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orm-sqlite-'))
    try {
      const file = join(dir, 'test.db')
      const dialect = sqlite({ filename: file })
      const driver = dialect.createDriver()
      await driver.connect()
      const c = await driver.acquire()
      expect(await rows(c, 'PRAGMA journal_mode', [], 'array')).toEqual([['wal']])
      await runAll(c, ['CREATE TABLE t (x INTEGER)'])
      await c.begin()
      await runAll(c, ['INSERT INTO t VALUES (1)'])
      const other = new Database(file, { timeout: 0 })
      let busy: unknown
      try {
        other.prepare('INSERT INTO t VALUES (2)').run()
      } catch (error) {
        busy = dialect.mapError(error, 'INSERT INTO t VALUES (2)')
      }
      expect(busy).toBeInstanceOf(SerializationError)
      await c.commit()
      c.release()
      expect(other.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1)
      other.close()
      await driver.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
