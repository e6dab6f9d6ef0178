import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPool } from 'mysql2/promise'
import {
  ConnectionError, ForeignKeyConstraintError, NotNullConstraintError, QueryError, SerializationError,
  UniqueConstraintError, ValidationError, n, type AnyColumn, type Capabilities, type Connection, type CreateTableNode,
} from '@orm/core'
import { mysql, type MysqlDialect } from '../src/index.js'
import { announceSkip, col, column, url } from './helpers.js'

announceSkip('driver.test.ts')

/** Connects a dialect's driver and compiles with the capabilities it detected, as the core does. */
async function open(dialect: MysqlDialect) {
  const driver = dialect.createDriver()
  const capabilities: Capabilities = { ...dialect.capabilities, ...(await driver.connect()) }
  const compiler = dialect.createCompiler(capabilities)
  return { driver, capabilities, compiler, ddl: dialect.createDdlCompiler(compiler) }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe.skipIf(!url)('MySQL driver through the Dialect', () => {
  const dialect = mysql({ uri: url })
  let ctx: Awaited<ReturnType<typeof open>>
  let conn: Connection
  const run = (sql: string, params: unknown[] = [], mode: 'array' | 'object' = 'object') => conn.execute({ sql, params }, mode)
  const create = async (node: CreateTableNode) => {
    await run(`DROP TABLE IF EXISTS \`${node.name}\``)
    for (const sql of ctx.ddl.compile(node)) await run(sql)
  }
  const table = (name: string, columns: Record<string, AnyColumn>, extra: Partial<CreateTableNode> = {}): CreateTableNode => ({
    kind: 'CreateTable',
    name,
    columns: Object.entries(columns).map(([key, c]) => column(key, c)),
    primaryKey: Object.entries(columns).filter(([, c]) => c.config.primaryKey).map(([key]) => key),
    foreignKeys: [],
    indexes: [],
    ...extra,
  })
  const TABLES = ['mydrv_posts', 'mydrv_users', 'mydrv_types', 'mydrv_tx']

  beforeAll(async () => {
    ctx = await open(dialect)
    conn = await ctx.driver.acquire()
    for (const name of TABLES) await run(`DROP TABLE IF EXISTS \`${name}\``)
  })

  afterAll(async () => {
    if (conn) {
      for (const name of TABLES) await run(`DROP TABLE IF EXISTS \`${name}\``)
      conn.release()
    }
    await ctx?.driver.close()
  })

  it('detects MariaDB and its capabilities', async () => {
    expect(dialect.server?.mariadb).toBe(true)
    expect(dialect.server?.upsertAlias).toBe(false)
    expect(ctx.capabilities).toMatchObject({
      returning: { insert: true, update: false, delete: true },
      consecutiveInsertIds: true,
      upsertTarget: false,
      lateral: false,
      jsonAggregation: true,
      limitInSubquery: false,
      maxParameters: 65535,
      transactionalDdl: false,
    })
    // The session runs in UTC, so CURRENT_TIMESTAMP defaults read back as UTC.
    expect((await run('SELECT @@session.time_zone AS tz')).rows).toEqual([{ tz: '+00:00' }])
  })

  it('runs the MySQL 8.0 code paths on MariaDB with the mysql-8.0 profile', async () => {
    const forced = await open(mysql({ uri: url, profile: 'mysql-8.0', capabilities: { maxParameters: 1000 } }))
    try {
      expect(forced.capabilities).toMatchObject({
        returning: { insert: false, update: false, delete: false },
        consecutiveInsertIds: false,
        lateral: false,
        jsonAggregation: true,
        maxParameters: 1000,
      })
      const insert = forced.compiler.compile({
        kind: 'Insert', table: n.table('t'), columns: ['a'], rows: [[n.value(1)]], onConflict: { columns: ['a'], update: ['a'] },
      })
      // MariaDB cannot parse the row alias, so the upsert syntax still follows the real server.
      expect(insert.sql).toBe('INSERT INTO `t` (`a`) VALUES (?) ON DUPLICATE KEY UPDATE `a` = VALUES(`a`)')
    } finally {
      await forced.driver.close()
    }
  })

  const types = {
    id: col.id(),
    int_v: col.integer().nullable(),
    big_b: col.bigint({ mode: 'bigint' }).nullable(),
    big_n: col.bigint().nullable(),
    float_v: col.float().nullable(),
    dec_v: col.decimal({ precision: 10, scale: 2 }).nullable(),
    str_v: col.string().nullable(),
    text_v: col.text().nullable(),
    bool_v: col.boolean().nullable(),
    ts_v: col.timestamp().nullable(),
    date_v: col.date().nullable(),
    json_v: col.json().nullable(),
    uuid_v: col.uuid().nullable(),
    bin_v: col.binary().nullable(),
    enum_v: col.enum(['a', 'b']).nullable(),
  }
  type Key = keyof typeof types
  const decoderOf = (c: AnyColumn) => dialect.codecs.decoder({ kind: c.config.kind, config: c.config })
  const keys = Object.keys(types).filter((k) => k !== 'id') as Key[]

  async function insertRow(values: Partial<Record<Key, unknown>>) {
    const columns = keys.filter((k) => k in values)
    const node = {
      kind: 'Insert' as const,
      table: n.table('mydrv_types'),
      columns,
      rows: [columns.map((k) => n.value(values[k], types[k].config.kind))],
    }
    return conn.execute(ctx.compiler.compile(node), 'object')
  }

  async function readRows(mode: 'array' | 'object'): Promise<Record<string, unknown>[]> {
    const all = ['id', ...keys] as Key[]
    const select = n.select({ from: n.table('mydrv_types'), columns: all.map((k) => n.column(k)), orderBy: [n.order(n.column('id'), 'asc')] })
    const { rows } = await conn.execute(ctx.compiler.compile(select), mode)
    return rows.map((row) => {
      const out: Record<string, unknown> = {}
      all.forEach((k, i) => {
        const raw = mode === 'array' ? (row as unknown[])[i] : (row as Record<string, unknown>)[k]
        const decode = decoderOf(types[k])
        out[k] = raw === null || !decode ? raw : decode(raw)
      })
      return out
    })
  }

  it('round-trips every column kind to the same JS value', async () => {
    await create(table('mydrv_types', types))
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const rows: Partial<Record<Key, unknown>>[] = [
      {
        int_v: -2147483648,
        big_b: 2n ** 62n + 1n,
        big_n: Number.MAX_SAFE_INTEGER,
        float_v: 3.25,
        dec_v: '12.50',
        str_v: 'héllo wörld ✓',
        text_v: `quotes ' " and a \\ backslash ${'x'.repeat(70_000)}`,
        bool_v: true,
        ts_v: new Date(Date.UTC(2024, 0, 31, 23, 59, 59, 999)),
        date_v: '2024-02-29',
        json_v: { s: 'ünïcödé ✓ 😀', n: [1, 2.5, null], nested: { t: true } },
        uuid_v: randomUUID(),
        bin_v: bytes,
        enum_v: 'b',
      },
      { bool_v: false, ts_v: new Date(Date.UTC(1900, 0, 1)), date_v: '1900-01-01', json_v: 'just a JSON string', dec_v: '-0.01', bin_v: Buffer.alloc(0) },
      { ts_v: new Date(Date.UTC(2100, 11, 31, 23, 59, 59, 999)), date_v: '2100-12-31', json_v: [1, 'two', { three: 3 }], big_b: -(2n ** 63n) },
    ]
    const inserted = []
    for (const row of rows) inserted.push((await insertRow(row)).insertId)
    expect(inserted).toEqual([1, 2, 3])

    for (const mode of ['array', 'object'] as const) {
      const read = await readRows(mode)
      rows.forEach((row, i) => {
        const expected = Object.fromEntries(keys.map((k) => [k, row[k] ?? null]))
        expect(read[i]).toEqual({ id: i + 1, ...expected })
      })
      expect(read[0].bin_v).toBeInstanceOf(Buffer)
      expect((read[0].ts_v as Date).getUTCMilliseconds()).toBe(999)
      expect(typeof read[0].big_b).toBe('bigint')
    }
  })

  it('reads a BIGINT beyond 2^53 as a BigInt in bigint mode and fails in number mode', async () => {
    await insertRow({ big_b: 9007199254740993n, big_n: 9007199254740993n })
    const { rows } = await run('SELECT big_b, big_n FROM mydrv_types WHERE big_b = ?', [dialect.codecs.encode(9007199254740993n)], 'array')
    const [bigB, bigN] = rows[0] as unknown[]
    expect(bigB).toBe('9007199254740993')
    expect(decoderOf(types.big_b)!(bigB)).toBe(9007199254740993n)
    expect(() => decoderOf(types.big_n)!(bigN)).toThrow(ValidationError)
  })

  it('commits, rolls back and uses savepoints', async () => {
    await create(table('mydrv_tx', { id: col.id(), name: col.string() }))
    const names = async () => ((await run('SELECT name FROM mydrv_tx ORDER BY id', [], 'array')).rows as string[][]).map((r) => r[0])
    const other = await ctx.driver.acquire()
    try {
      await conn.begin('serializable')
      await run("INSERT INTO mydrv_tx (name) VALUES ('kept')")
      await conn.savepoint('sp `1`')
      await run("INSERT INTO mydrv_tx (name) VALUES ('undone')")
      await conn.rollbackToSavepoint('sp `1`')
      await conn.savepoint('sp2')
      await run("INSERT INTO mydrv_tx (name) VALUES ('released')")
      await conn.releaseSavepoint('sp2')
      expect((await other.execute({ sql: 'SELECT COUNT(*) AS c FROM mydrv_tx', params: [] }, 'object')).rows).toEqual([{ c: '0' }])
      await conn.commit()
      expect(await names()).toEqual(['kept', 'released'])

      await conn.begin()
      await run("INSERT INTO mydrv_tx (name) VALUES ('gone')")
      await conn.rollback()
      expect(await names()).toEqual(['kept', 'released'])
    } finally {
      other.release()
    }
  })

  it('maps a lock wait timeout to SerializationError', async () => {
    const other = await ctx.driver.acquire()
    try {
      await conn.begin()
      await run('SELECT * FROM mydrv_tx WHERE id = 1 FOR UPDATE')
      await other.execute({ sql: 'SET SESSION innodb_lock_wait_timeout = 1', params: [] }, 'object')
      const sql = "UPDATE mydrv_tx SET name = 'x' WHERE id = 1"
      const error = await failure(other.execute({ sql, params: [] }, 'object'))
      expect(error).toBeInstanceOf(SerializationError)
      expect((error as SerializationError).sql).toBe(sql)
    } finally {
      await conn.rollback()
      other.release(true)
    }
  })

  it('maps unique, foreign key and not-null violations', async () => {
    await create(table('mydrv_users', { id: col.id(), email: col.string(), name: col.string() }, {
      indexes: [{ name: 'mydrv_users_email_unique', columns: ['email'], unique: true }],
    }))
    await create(table('mydrv_posts', { id: col.id(), user_id: col.bigint() }, {
      foreignKeys: [{ name: 'mydrv_posts_user_fk', columns: ['user_id'], table: 'mydrv_users', references: ['id'] }],
    }))
    const insertUser = 'INSERT INTO mydrv_users (email, name) VALUES (?, ?)'
    const { insertId } = await run(insertUser, ['secret-value@x', 'A'])
    expect(insertId).toBe(1)

    const unique = await failure(run(insertUser, ['secret-value@x', 'B']))
    expect(unique).toBeInstanceOf(UniqueConstraintError)
    expect(unique).toMatchObject({ constraint: 'mydrv_users_email_unique', sql: insertUser })
    expect(unique.message).not.toContain('secret-value')

    const child = await failure(run('INSERT INTO mydrv_posts (user_id) VALUES (?)', [99]))
    expect(child).toBeInstanceOf(ForeignKeyConstraintError)
    expect(child).toMatchObject({ table: 'mydrv_posts', constraint: 'mydrv_posts_user_fk', columns: ['user_id'] })
    await run('INSERT INTO mydrv_posts (user_id) VALUES (?)', [1])
    expect(await failure(run('DELETE FROM mydrv_users WHERE id = 1'))).toBeInstanceOf(ForeignKeyConstraintError)

    const nullName = await failure(run(insertUser, ['b@x', null]))
    expect(nullName).toBeInstanceOf(NotNullConstraintError)
    expect(nullName).toMatchObject({ columns: ['name'] })
    const missing = await failure(run('INSERT INTO mydrv_users (email) VALUES (?)', ['c@x']))
    expect(missing).toBeInstanceOf(NotNullConstraintError)
    expect(missing).toMatchObject({ columns: ['name'] })
  })

  it('returns RETURNING rows from a MariaDB insert and delete', async () => {
    const insert = ctx.compiler.compile({
      kind: 'Insert',
      table: n.table('mydrv_users'),
      columns: ['email', 'name'],
      rows: [[n.value('r1@x'), n.value('R1')], [n.value('r2@x'), n.value('R2')]],
      returning: ['id', 'email'],
    })
    const result = await conn.execute(insert, 'object')
    const rows = result.rows as { id: string; email: string }[]
    expect(rows.map((r) => r.email)).toEqual(['r1@x', 'r2@x'])
    // The failed inserts above used up ids; these two are consecutive (lock mode 1) and arrive as BIGINT text.
    expect(Number(rows[1].id)).toBe(Number(rows[0].id) + 1)
    expect(result.affectedRows).toBe(2)
    const deleted = await conn.execute(
      ctx.compiler.compile({ kind: 'Delete', table: n.table('mydrv_users'), where: n.binary(n.column('id'), '>', n.value(1)), returning: ['id'] }),
      'array',
    )
    // Object rows (db.execute) read BIGINT as text; the ORM's array rows read one within 2^53 as a number.
    expect(rows.map((r) => typeof r.id)).toEqual(['string', 'string'])
    expect(deleted).toMatchObject({ rows: rows.map((r) => [Number(r.id)]), affectedRows: 2 })
  })

  it('reports affected rows of an upsert and an update', async () => {
    const upsert = ctx.compiler.compile({
      kind: 'Insert', table: n.table('mydrv_users'), columns: ['email', 'name'],
      rows: [[n.value('secret-value@x'), n.value('Updated')]], onConflict: { columns: ['email'], update: ['name'] },
    })
    expect((await conn.execute(upsert, 'object')).affectedRows).toBe(2)
    const update = await run('UPDATE mydrv_users SET name = ? WHERE id = ?', ['Updated', 1])
    // mysql2 sets CLIENT_FOUND_ROWS: matched rows count, even when the value did not change.
    expect(update.affectedRows).toBe(1)
  })

  it('gives a QueryError carrying the SQL for a bad statement', async () => {
    const sql = 'SELECT nope FROM mydrv_users WHERE email = ?'
    const error = await failure(run(sql, ['hidden-param']))
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ sql })
    expect(error.message).toContain('nope')
    expect(error.message).not.toContain('hidden-param')
    expect((error as QueryError).cause).toMatchObject({ errno: 1054 })
    const badValue = await failure(run('INSERT INTO mydrv_posts (user_id) VALUES (?)', ['not-a-number-secret']))
    expect(badValue).toBeInstanceOf(QueryError)
    expect(badValue.message).not.toContain('not-a-number-secret')
  })

  it('introspects tables, keys and foreign keys', async () => {
    const tables = await dialect.introspector.tables(conn)
    const users = tables.find((t) => t.name === 'mydrv_users')
    const posts = tables.find((t) => t.name === 'mydrv_posts')
    expect(users).toMatchObject({ primaryKey: ['id'], uniques: [['email']] })
    expect(users?.columns[0]).toMatchObject({ name: 'id', nullable: false, autoIncrement: true })
    expect(users?.columns[1]).toMatchObject({ name: 'email', dataType: 'varchar(255)', nullable: false, default: null })
    expect(posts?.foreignKeys).toEqual([{ columns: ['user_id'], referencedTable: 'mydrv_users', referencedColumns: ['id'], onDelete: 'restrict', onUpdate: 'restrict' }])
    const typesTable = tables.find((t) => t.name === 'mydrv_types')
    expect(typesTable?.columns.find((c) => c.name === 'bool_v')).toMatchObject({ dataType: 'tinyint(1)', nullable: true })
  })

  it('decodes the same way through a user-given pool with default mysql2 options, and leaves it open', async () => {
    const pool = createPool({ uri: url, connectionLimit: 2 })
    const given = mysql({ pool })
    const driver = given.createDriver()
    try {
      await driver.connect()
      const c = await driver.acquire()
      const { rows } = await c.execute({ sql: 'SELECT json_v, dec_v, big_b, ts_v FROM mydrv_types WHERE id = 2', params: [] }, 'object')
      c.release()
      expect(rows).toEqual([{ json_v: '"just a JSON string"', dec_v: '-0.01', big_b: null, ts_v: '1900-01-01 00:00:00' }])
      await driver.close()
      expect(await failure(driver.acquire())).toBeInstanceOf(ConnectionError)
      const [check] = await pool.query('SELECT 1 AS one')
      expect(check).toEqual([{ one: 1 }])
    } finally {
      await pool.end()
    }
  })
})

describe.skipIf(!url)('MySQL connection errors', () => {
  const base = url ? new URL(url) : undefined
  const options = () => ({ host: base!.hostname, user: decodeURIComponent(base!.username), database: base!.pathname.slice(1) })

  it('names host and port for a refused connection', async () => {
    const driver = mysql({ ...options(), port: 1, password: 'p4ss-w0rd-xyz' }).createDriver()
    const error = await failure(driver.connect())
    await driver.close()
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toContain(`${base!.hostname}:1`)
    expect(error.message).not.toContain('p4ss-w0rd-xyz')
    expect((error as ConnectionError).host).toBe(`${base!.hostname}:1`)
  })

  it('names the host and never the password for a wrong password', async () => {
    const port = Number(base!.port || 3306)
    const driver = mysql({ ...options(), port, password: 'p4ss-w0rd-xyz' }).createDriver()
    const error = await failure(driver.connect())
    await driver.close()
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toContain(`${base!.hostname}:${port}`)
    expect(error.message).toMatch(/Access denied/)
    expect(error.message).not.toContain('p4ss-w0rd-xyz')
    expect(JSON.stringify(error)).not.toContain('p4ss-w0rd-xyz')
  })

  it('maps an unknown database to ConnectionError', async () => {
    const driver = mysql({ uri: url, database: 'mydrv_no_such_db' }).createDriver()
    expect(await failure(driver.connect())).toBeInstanceOf(ConnectionError)
    await driver.close()
  })
})
