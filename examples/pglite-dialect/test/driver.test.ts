import {
  col, ConnectionError, createDb, defineSchema, ForeignKeyConstraintError, NotNullConstraintError, QueryError, SerializationError,
  sql, table, UniqueConstraintError,
} from '@orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPglite, mapPgliteError, Mutex, pglite, PgliteDriver } from '../src/index.js'

const authors = table('px_authors', { id: col.id(), name: col.string().unique() })
const books = table('px_books', {
  id: col.id(),
  authorId: col.bigint().references(() => authors.id, { onDelete: 'cascade' }),
  title: col.string(),
})
const schema = defineSchema({ authors, books })

describe('Mutex', () => {
  it('hands the lock on in arrival order, never to a newcomer first', async () => {
    const mutex = new Mutex()
    const order: number[] = []
    await mutex.lock()
    const waiters = [1, 2, 3].map((n) => mutex.lock().then(() => order.push(n)))
    expect(mutex.queued).toBe(3)
    mutex.unlock()
    await Promise.resolve()
    const late = mutex.lock().then(() => order.push(4)) // arrives while 2 and 3 still wait
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1))
      mutex.unlock()
    }
    await Promise.all([...waiters, late])
    expect(order).toEqual([1, 2, 3, 4])
  })
})

describe('PgliteDriver', () => {
  const driver = new PgliteDriver()
  afterAll(() => driver.close())

  it('connects, reports the server version as capability corrections, and reads rows as arrays or objects', async () => {
    expect(await driver.connect()).toEqual({})
    const connection = await driver.acquire()
    try {
      const arrays = await connection.execute({ sql: 'SELECT $1::int AS a, $2::text AS b', params: [1, 'x'] }, 'array')
      expect(arrays.rows).toEqual([[1, 'x']])
      const objects = await connection.execute({ sql: 'SELECT $1::int AS a, $2::text AS b', params: [1, 'x'] }, 'object')
      expect(objects.rows).toEqual([{ a: 1, b: 'x' }])
      // Without parameters, several statements run as one script; the rows are the last one's.
      const script = await connection.execute({ sql: 'SELECT 1 AS one; SELECT 2 AS two', params: [] }, 'object')
      expect(script.rows).toEqual([{ two: 2 }])
    } finally {
      connection.release()
    }
  })

  it('reads int8 and numeric as text, dates as text, JSON as its raw text, timestamps as UTC Dates', async () => {
    const connection = await driver.acquire()
    try {
      const { rows } = await connection.execute({
        sql: "SELECT 9007199254740993::int8 AS big, 1.50::numeric(4,2) AS dec, '2024-02-29'::date AS day, " +
          `'"text"'::jsonb AS json, '2024-02-29 23:59:59.999+00'::timestamptz AS ts, '\\x00ff'::bytea AS bin`,
        params: [],
      }, 'object')
      const row = rows[0] as Record<string, unknown>
      expect(row).toMatchObject({ big: '9007199254740993', dec: '1.50', day: '2024-02-29', json: '"text"' })
      expect(row.ts).toEqual(new Date('2024-02-29T23:59:59.999Z'))
      expect(Buffer.from(row.bin as Uint8Array)).toEqual(Buffer.from([0, 255]))
    } finally {
      connection.release()
    }
  })

  it('one connection at a time: a second acquire waits until the first is released', async () => {
    const first = await driver.acquire()
    let second = false
    const pending = driver.acquire().then((c) => {
      second = true
      return c
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(second).toBe(false)
    first.release()
    const c = await pending
    expect(second).toBe(true)
    c.release()
  })

  it('a connection released inside a transaction rolls it back before the next holder gets the session', async () => {
    const a = await driver.acquire()
    await a.execute({ sql: 'CREATE TABLE IF NOT EXISTS px_t (n int)', params: [] }, 'array')
    await a.begin()
    await a.execute({ sql: 'INSERT INTO px_t VALUES ($1)', params: [1] }, 'array')
    a.release()
    const b = await driver.acquire()
    try {
      expect((await b.execute({ sql: 'SELECT count(*)::int AS n FROM px_t', params: [] }, 'object')).rows).toEqual([{ n: 0 }])
      await b.execute({ sql: 'DROP TABLE px_t', params: [] }, 'array')
    } finally {
      b.release()
    }
    await expect(a.execute({ sql: 'SELECT 1', params: [] }, 'array')).rejects.toBeInstanceOf(ConnectionError)
  })
})

describe('the dialect through createDb', () => {
  const db = createDb({ schema, dialect: pglite() })
  beforeAll(() => db.schema.create())
  afterAll(() => db.close())

  it('transactions and savepoints: an inner failure rolls back only the inner work', async () => {
    await db.transaction(async (tx) => {
      const ann = await tx.authors.insert({ name: 'Ann' })
      await expect(tx.transaction(async (inner) => {
        await inner.books.insert({ authorId: ann.id, title: 'gone' })
        await inner.authors.insert({ name: 'Ann' })
      })).rejects.toBeInstanceOf(UniqueConstraintError)
      await tx.books.insert({ authorId: ann.id, title: 'kept' })
    })
    expect(await db.books.query().pluck('title')).toEqual(['kept'])
    await db.authors.query().delete()
  })

  it('concurrent callers queue for the one session; their transactions never interleave', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        db.transaction(async (tx) => {
          const author = await tx.authors.insert({ name: `w${i}` })
          await new Promise((r) => setTimeout(r, 5))
          await tx.books.insert({ authorId: author.id, title: `b${i}` })
          return tx.books.query().where('authorId', author.id).count()
        }),
      ),
    )
    expect(results).toEqual([1, 1, 1, 1, 1])
    expect(await db.books.query().count()).toBe(5)
    await db.authors.query().delete()
  })

  it('errors are the normalized classes, as on the pg dialect', async () => {
    await expect(db.books.insert({ authorId: 999, title: 'x' })).rejects.toBeInstanceOf(ForeignKeyConstraintError)
    await expect(db.authors.insert({ name: null as never })).rejects.toBeInstanceOf(NotNullConstraintError)
    const error = await db.execute(sql`select * from px_nope where x = ${'hidden'}`).catch((e) => e)
    expect(error).toBeInstanceOf(QueryError)
    expect(error.message).not.toContain('hidden')
    expect(mapPgliteError(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBeInstanceOf(SerializationError)
    expect(mapPgliteError(new Error('PGlite is closed'))).toBeInstanceOf(ConnectionError)
  })

  it('introspection reads tables, keys and foreign keys (the pg introspector over this driver)', async () => {
    const driver = new PgliteDriver({ database: await sharedPglite() })
    const connection = await driver.acquire()
    try {
      await connection.execute({ sql: 'CREATE TABLE a (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, email text UNIQUE NOT NULL); CREATE TABLE b (id serial PRIMARY KEY, a_id bigint REFERENCES a (id) ON DELETE CASCADE)', params: [] }, 'array')
      const tables = await pglite().introspector.tables(connection)
      expect(tables.map((t) => t.name)).toEqual(['a', 'b'])
      const [a, b] = tables
      expect(a.primaryKey).toEqual(['id'])
      expect(a.uniques).toEqual([['email']])
      expect(a.columns.map((c) => [c.name, c.dataType, c.nullable, c.autoIncrement])).toEqual([['id', 'bigint', false, true], ['email', 'text', false, false]])
      expect(b.foreignKeys).toMatchObject([{ columns: ['a_id'], referencedTable: 'a', referencedColumns: ['id'], onDelete: 'cascade' }])
    } finally {
      connection.release()
      await driver.close()
    }
    // A database passed in stays open after close(): its owner closes it.
    expect((await sharedPglite()).closed).toBe(false)
    await (await sharedPglite()).close()
  })

  it('close() twice is harmless; a query after close() is a ConnectionError', async () => {
    const other = createDb({ schema, dialect: pglite() })
    await other.schema.create()
    await other.close()
    await other.close()
    await expect(other.authors.query().count()).rejects.toBeInstanceOf(ConnectionError)
  })
})

let shared: ReturnType<typeof createPglite> | undefined
function sharedPglite() {
  return (shared ??= createPglite())
}
