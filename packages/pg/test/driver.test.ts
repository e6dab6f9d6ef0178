import {
  col, ConnectionError, ForeignKeyConstraintError, n, NotNullConstraintError, QueryError, SerializationError,
  UniqueConstraintError, ValidationError, type AnyColumn, type ColumnDefinitionNode, type Connection, type CreateTableNode,
} from '@orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pg } from '../src/index.js'
import { announceSkip, TestDb, url } from './support.js'

announceSkip('driver.test.ts')

const columns = {
  id: col.id(),
  integer: col.integer().nullable(),
  big: col.bigint({ mode: 'bigint' }).nullable(),
  bigNumber: col.bigint().nullable(),
  float: col.float().nullable(),
  decimal: col.decimal({ precision: 10, scale: 2 }).nullable(),
  string: col.string({ length: 50 }).nullable(),
  text: col.text().nullable(),
  boolean: col.boolean().nullable(),
  timestamp: col.timestamp().nullable(),
  date: col.date().nullable(),
  json: col.json().nullable(),
  uuid: col.uuid().nullable(),
  binary: col.binary().nullable(),
  enum: col.enum(['a', 'b']).nullable(),
} satisfies Record<string, AnyColumn>
type Name = keyof typeof columns
const names = Object.keys(columns) as Name[]
const definition = (name: Name): ColumnDefinitionNode => ({ name, kind: columns[name].config.kind, config: columns[name].config })

const kindsTable: CreateTableNode = {
  kind: 'CreateTable', name: 'pgdrv_values', columns: names.map(definition), primaryKey: ['id'], foreignKeys: [], indexes: [],
}
const parents: CreateTableNode = {
  kind: 'CreateTable', name: 'pgdrv_parents',
  columns: [definition('id'), { name: 'email', kind: 'string', config: col.string().config }],
  primaryKey: ['id'], foreignKeys: [], indexes: [{ name: 'pgdrv_parents_email_unique', columns: ['email'], unique: true }],
}
const children: CreateTableNode = {
  kind: 'CreateTable', name: 'pgdrv_children',
  columns: [definition('id'), { name: 'parent_id', kind: 'bigint', config: col.bigint().config },
    { name: 'name', kind: 'string', config: col.string().config }],
  primaryKey: ['id'],
  foreignKeys: [{ name: 'pgdrv_children_parent_fk', columns: ['parent_id'], table: 'pgdrv_parents', references: ['id'] }],
  indexes: [],
}

const allBytes = new Uint8Array(256).map((_, i) => i)
const samples: Partial<Record<Name, unknown>>[] = [
  {
    integer: -2147483648, big: 9007199254740993n, bigNumber: 9007199254740991, float: 1.5e-300, decimal: '12.50',
    string: 'Ünïcødé ✓', text: "multi\nline 'quoted' \\ text", boolean: true,
    timestamp: new Date('1900-01-01T00:00:00.999Z'), date: '1900-01-01',
    json: { emoji: '😀', cjk: '漢字', nested: [1, null, { ok: true }], quote: '"' },
    uuid: '0e4f5c3a-8b1d-4d2e-9f6a-7b8c9d0e1f2a', binary: allBytes, enum: 'a',
  },
  {
    integer: 2147483647, big: -(2n ** 63n), bigNumber: -9007199254740991, float: -0.1, decimal: '-99999999.99',
    string: '', text: '', boolean: false, timestamp: new Date('2100-12-31T23:59:59.999Z'), date: '2100-12-31',
    json: 'just a JSON string', uuid: 'ffffffff-ffff-ffff-ffff-ffffffffffff', binary: new Uint8Array(0), enum: 'b',
  },
  { json: [1, 'two', [3]] },
  {},
]

describe.skipIf(!url)('PgDriver', () => {
  const db = new TestDb()
  const codecs = db.dialect.codecs

  const decodeRow = (row: unknown[], cols: readonly Name[]) =>
    Object.fromEntries(cols.map((name, i) => {
      const decoder = codecs.decoder({ kind: columns[name].config.kind, config: columns[name].config })
      return [name, row[i] === null || !decoder ? row[i] : decoder(row[i])]
    }))

  const insertParent = (email: string, connection: Connection = db.connection) =>
    db.run({ kind: 'Insert', table: n.table('pgdrv_parents'), columns: ['email'], rows: [[n.value(email, 'string')]], returning: ['id'] },
      'object', connection)

  beforeAll(async () => {
    await db.open()
    await db.drop('pgdrv_children', 'pgdrv_parents', 'pgdrv_values')
    await db.create(kindsTable)
    await db.create(parents)
    await db.create(children)
  })

  afterAll(async () => {
    await db.drop('pgdrv_children', 'pgdrv_parents', 'pgdrv_values')
    await db.close()
  })

  it('reports the server and corrects no capability on PostgreSQL 10+', async () => {
    expect(await db.driver.connect()).toEqual({})
    expect(db.dialect.capabilities.errorAbortsTransaction).toBe(true)
  })

  it('round-trips every column kind to the same JS value, whatever the process and session time zones', async () => {
    const previousTz = process.env.TZ
    process.env.TZ = 'Pacific/Chatham'
    try {
      const value = (name: Name, v: unknown) => n.value(v ?? null, columns[name].config.kind)
      const inserted = await db.run({
        kind: 'Insert', table: n.table('pgdrv_values'), columns: names.filter((c) => c !== 'id'),
        rows: samples.map((s) => names.filter((c) => c !== 'id').map((c) => value(c, s[c]))), returning: ['id'],
      }, 'array')
      expect(inserted.affectedRows).toBe(samples.length)
      const ids = inserted.rows.map((r) => codecs.decoder({ kind: 'id', config: columns.id.config })!((r as unknown[])[0]))
      expect(ids.every((id) => typeof id === 'number')).toBe(true)

      await db.connection.begin()
      await db.sql("SET LOCAL TIME ZONE 'America/St_Johns'")
      const read = await db.run(n.select({
        from: n.table('pgdrv_values'), columns: names.filter((c) => c !== 'bigNumber').map((c) => n.column(c)),
        orderBy: [n.order(n.column('id'), 'asc')],
      }), 'array')
      await db.connection.commit()

      const cols = names.filter((c) => c !== 'bigNumber')
      const rows = read.rows.map((r) => decodeRow(r as unknown[], cols))
      samples.forEach((sample, i) => {
        const expected = Object.fromEntries(cols.map((c) => [c, c === 'id' ? ids[i] : sample[c] ?? null]))
        if (sample.binary) expected.binary = Buffer.from(sample.binary as Uint8Array)
        expect(rows[i]).toEqual(expected)
      })
      expect((rows[0].timestamp as Date).getUTCMilliseconds()).toBe(999)
      expect(rows[0].big).toBe(9007199254740993n)
      expect([...(rows[0].binary as Buffer)]).toEqual([...allBytes])
      expect(rows[1].json).toBe('just a JSON string')
      expect(rows[0].decimal).toBe('12.50')

      const numbers = await db.run(n.select({ from: n.table('pgdrv_values'), columns: [n.column('bigNumber')], orderBy: [n.order(n.column('id'), 'asc')] }), 'array')
      expect(decodeRow(numbers.rows[0] as unknown[], ['bigNumber'])).toEqual({ bigNumber: 9007199254740991 })
      const beyond = await db.sql('SELECT big FROM pgdrv_values WHERE id = $1', [ids[0]])
      const asNumber = codecs.decoder({ kind: 'bigint', config: col.bigint().config })!
      expect(() => asNumber((beyond.rows[0] as { big: string }).big)).toThrow(ValidationError)
    } finally {
      process.env.TZ = previousTz
      if (previousTz === undefined) delete process.env.TZ
    }
  })

  it('leaves int8 aggregates as text and reads timestamp without time zone as UTC', async () => {
    const { rows } = await db.sql(
      "SELECT count(*) AS n, '2024-02-29 23:59:59.999'::timestamp AS ts, '{\"a\": 1}'::json AS j, 12.5::numeric(5,2) AS d, '2020-01-01'::date AS day",
    )
    expect(rows[0]).toEqual({ n: '1', ts: new Date('2024-02-29T23:59:59.999Z'), j: '{"a": 1}', d: '12.50', day: '2020-01-01' })
    const arrays = await db.connection.execute({ sql: 'SELECT 1 AS a, 2 AS a', params: [] }, 'array')
    expect(arrays.rows).toEqual([[1, 2]])
  })

  it('commits, rolls back and uses savepoints, recovering from an error inside a transaction', async () => {
    const c = db.connection
    await c.begin()
    await insertParent('rolled-back@x')
    await c.rollback()
    await c.begin('serializable')
    expect((await db.sql('SHOW transaction_isolation')).rows).toEqual([{ transaction_isolation: 'serializable' }])
    await insertParent('kept@x')
    await c.savepoint('sp "one"')
    await insertParent('undone@x')
    await c.rollbackToSavepoint('sp "one"')
    await c.savepoint('sp2')
    await expect(insertParent('kept@x')).rejects.toBeInstanceOf(UniqueConstraintError)
    await expect(db.sql('SELECT 1')).rejects.toThrow(/current transaction is aborted/)
    await c.rollbackToSavepoint('sp2')
    await insertParent('after@x')
    await c.releaseSavepoint('sp2')
    await c.commit()
    const { rows } = await db.sql('SELECT email FROM pgdrv_parents ORDER BY id')
    expect(rows).toEqual([{ email: 'kept@x' }, { email: 'after@x' }])
    await expect(c.begin('chaos' as never)).rejects.toBeInstanceOf(ValidationError)
  })

  it('maps unique, foreign key and not-null violations with table and columns, and no values in messages', async () => {
    const unique = await insertParent('kept@x').catch((e: unknown) => e)
    expect(unique).toBeInstanceOf(UniqueConstraintError)
    expect(unique).toMatchObject({ table: 'pgdrv_parents', columns: ['email'], constraint: 'pgdrv_parents_email_unique' })
    expect((unique as Error).message).not.toContain('kept@x')
    expect((unique as UniqueConstraintError).sql).toBe('INSERT INTO "pgdrv_parents" ("email") VALUES ($1) RETURNING "id"')

    const fk = await db.sql('INSERT INTO pgdrv_children (parent_id, name) VALUES ($1, $2)', [424242, 'orphan']).catch((e: unknown) => e)
    expect(fk).toBeInstanceOf(ForeignKeyConstraintError)
    expect(fk).toMatchObject({ table: 'pgdrv_children', columns: ['parent_id'], constraint: 'pgdrv_children_parent_fk' })
    expect((fk as Error).message).not.toContain('424242')

    const parentId = (await db.sql('SELECT id FROM pgdrv_parents ORDER BY id LIMIT 1')).rows[0] as { id: string }
    await db.sql('INSERT INTO pgdrv_children (parent_id, name) VALUES ($1, $2)', [parentId.id, 'kid'])
    const restrict = await db.sql('DELETE FROM pgdrv_parents WHERE id = $1', [parentId.id]).catch((e: unknown) => e)
    expect(restrict).toBeInstanceOf(ForeignKeyConstraintError)
    expect(restrict).toMatchObject({ table: 'pgdrv_children', constraint: 'pgdrv_children_parent_fk' })

    const nn = await db.sql('INSERT INTO pgdrv_children (parent_id, name) VALUES ($1, $2)', [parentId.id, null]).catch((e: unknown) => e)
    expect(nn).toBeInstanceOf(NotNullConstraintError)
    expect(nn).toMatchObject({ table: 'pgdrv_children', columns: ['name'] })

    const bad = await db.sql('SELECT $1::int', ['not-a-number-secret']).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(QueryError)
    expect((bad as Error).message).not.toContain('not-a-number-secret')
  })

  it('maps a serialization failure between two serializable transactions', async () => {
    const a = db.connection
    const b = await db.driver.acquire()
    try {
      await a.begin('serializable')
      await b.begin('serializable')
      await db.sql('SELECT count(*) FROM pgdrv_parents', [], a)
      await db.sql('SELECT count(*) FROM pgdrv_parents', [], b)
      await insertParent('skew-a@x', a)
      await insertParent('skew-b@x', b)
      await a.commit()
      const error = await b.commit().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SerializationError)
      await b.rollback()
    } finally {
      b.release()
    }
  })

  it('is a QueryError with the SQL for a bad statement', async () => {
    const error = await db.sql('SELEC 1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ sql: 'SELEC 1', message: 'syntax error at or near "SELEC"' })
    expect((error as QueryError).cause).toMatchObject({ code: '42601' })
  })

  it('prepares each distinct text once per connection and reuses it', async () => {
    const sql = 'SELECT $1::int + 1 AS x'
    const results = []
    for (const value of [1, 2, 3]) results.push((await db.sql(sql, [value])).rows[0])
    expect(results).toEqual([{ x: 2 }, { x: 3 }, { x: 4 }])
    await db.sql('SELECT $1::int + 2 AS x', [1])
    const prepared = (await db.sql('SELECT name, statement FROM pg_prepared_statements')).rows as { name: string; statement: string }[]
    const mine = prepared.filter((p) => p.statement === sql)
    expect(mine).toEqual([{ name: db.driver.statements.nameFor(sql), statement: sql }])
    expect(prepared.find((p) => p.statement === 'SELECT $1::int + 2 AS x')?.name).not.toBe(mine[0].name)

    // A text that failed to parse is parsed again next time, not taken as prepared.
    const late = 'SELECT count(*) AS n FROM pgdrv_late WHERE id > $1'
    await expect(db.sql(late, [0])).rejects.toBeInstanceOf(QueryError)
    await db.sql('CREATE TABLE pgdrv_late (id int)')
    try {
      expect((await db.sql(late, [0])).rows).toEqual([{ n: '0' }])
    } finally {
      await db.drop('pgdrv_late')
    }

    // Several connections at once, each preparing the same name for the same text.
    const others = await Promise.all([db.driver.acquire(), db.driver.acquire()])
    try {
      const sums = await Promise.all(others.map((c, i) => db.sql(sql, [i * 10], c)))
      expect(sums.map((r) => r.rows[0])).toEqual([{ x: 1 }, { x: 11 }])
    } finally {
      for (const c of others) c.release()
    }
  })

  it('recovers when a schema change makes a prepared plan stale', async () => {
    await db.sql('DROP TABLE IF EXISTS pgdrv_stale')
    await db.sql('CREATE TABLE pgdrv_stale (id int)')
    try {
      await db.sql('INSERT INTO pgdrv_stale VALUES (1)')
      const star = 'SELECT * FROM pgdrv_stale WHERE id > $1'
      expect((await db.sql(star, [0])).rows).toEqual([{ id: 1 }])
      await db.sql("ALTER TABLE pgdrv_stale ADD COLUMN note text DEFAULT 'x'")
      expect((await db.sql(star, [0])).rows).toEqual([{ id: 1, note: 'x' }])
      expect(db.driver.statements.nameFor(star)).toBeUndefined()

      // Inside a transaction the failure has aborted it: no retry, but the next run works.
      const other = 'SELECT * FROM pgdrv_stale WHERE id >= $1'
      expect((await db.sql(other, [0])).rows).toHaveLength(1)
      await db.sql('ALTER TABLE pgdrv_stale DROP COLUMN note')
      await db.connection.begin()
      await expect(db.sql(other, [0])).rejects.toThrow(/cached plan must not change result type/)
      await db.connection.rollback()
      expect((await db.sql(other, [0])).rows).toEqual([{ id: 1 }])
    } finally {
      await db.drop('pgdrv_stale')
    }
  })

  it('drops a connection whose backend was terminated, and survives idle clients dying', async () => {
    const victim = await db.driver.acquire()
    const pid = ((await db.sql('SELECT pg_backend_pid() AS pid', [], victim)).rows[0] as { pid: number }).pid
    await db.sql('SELECT pg_terminate_backend($1)', [pid])
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expect(db.sql('SELECT 1', [], victim)).rejects.toBeInstanceOf(ConnectionError)
    victim.release()

    const idle = await db.driver.acquire()
    const idlePid = ((await db.sql('SELECT pg_backend_pid() AS pid', [], idle)).rows[0] as { pid: number }).pid
    idle.release()
    await db.sql('SELECT pg_terminate_backend($1)', [idlePid])
    await new Promise((resolve) => setTimeout(resolve, 100))

    const fresh = await Promise.all([db.driver.acquire(), db.driver.acquire(), db.driver.acquire()])
    const pids = await Promise.all(fresh.map(async (c) => ((await db.sql('SELECT pg_backend_pid() AS pid', [], c)).rows[0] as { pid: number }).pid))
    for (const c of fresh) c.release()
    expect(pids).not.toContain(pid)
    expect(pids).not.toContain(idlePid)
  })

  it('gives a ConnectionError naming host:port, never the password, for a wrong port or a missing database', async () => {
    const wrongPort = pg({ connectionString: 'postgres://postgres:s3cret-pw@127.0.0.1:1/test', connectionTimeoutMillis: 5000 }).createDriver()
    const error = await wrongPort.connect().catch((e: unknown) => e)
    await wrongPort.close()
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).message).toContain('127.0.0.1:1')
    expect((error as ConnectionError).host).toBe('127.0.0.1:1')
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain('s3cret-pw')

    const target = new URL(url!)
    const missing = pg({ host: target.hostname, port: Number(target.port || 5432), user: 'postgres', password: 'another-secret', database: 'pgdrv_missing_db' }).createDriver()
    const error2 = await missing.connect().catch((e: unknown) => e)
    await missing.close()
    expect(error2).toBeInstanceOf(ConnectionError)
    expect((error2 as Error).message).toContain(`${target.hostname}:${target.port || 5432}`)
    expect((error2 as Error).message).toContain('pgdrv_missing_db')
    expect((error2 as Error).message).not.toContain('another-secret')
  })

  it('borrows an existing pool without ending it on close', async () => {
    const { default: pgLib } = await import('pg')
    const pool = new pgLib.Pool({ connectionString: url, max: 1 })
    try {
      const driver = pg({ pool }).createDriver()
      expect(await driver.connect()).toEqual({})
      const c = await driver.acquire()
      expect((await c.execute({ sql: 'SELECT $1::text AS t', params: ['hi'] }, 'array')).rows).toEqual([['hi']])
      c.release()
      await driver.close()
      await expect(driver.acquire()).rejects.toBeInstanceOf(ConnectionError)
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      await pool.end()
    }
  })
})
