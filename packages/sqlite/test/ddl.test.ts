import { Blueprint, ForeignKeyConstraintError, QueryError, ValidationError, type CreateTableNode } from '@orm/core'
import { afterEach, describe, expect, it } from 'vitest'
import { col, column, openDatabase, rows, runAll } from './helpers.js'

const items: CreateTableNode = {
  kind: 'CreateTable',
  name: 'items',
  columns: [
    column('id', col.id()),
    column('count', col.integer()),
    column('big', col.bigint({ mode: 'bigint' }).nullable()),
    column('ratio', col.float().default(0.5)),
    column('price', col.decimal({ precision: 10, scale: 2 })),
    column('name', col.string({ length: 100 }).unique()),
    column('body', col.text().nullable()),
    column('active', col.boolean().default(true)),
    column('created_at', col.timestamp().defaultNow()),
    column('day', col.date().defaultNow()),
    column('meta', col.json().default({ a: 1 })),
    column('uid', col.uuid().defaultRandom()),
    column('data', col.binary().nullable()),
    column('status', col.enum(['draft', 'live'] as const).default('draft')),
  ],
  primaryKey: ['id'],
  foreignKeys: [],
  indexes: [{ name: 'items_count_idx', columns: ['count'], unique: false }],
}

const groups: CreateTableNode = {
  kind: 'CreateTable',
  name: 'groups',
  columns: [column('id', col.id()), column('title', col.string())],
  primaryKey: ['id'],
  foreignKeys: [],
  indexes: [],
}

const memberships: CreateTableNode = {
  kind: 'CreateTable',
  name: 'memberships',
  columns: [column('item_id', col.integer()), column('group_id', col.integer()), column('role', col.string({ length: 20 }))],
  primaryKey: ['item_id', 'group_id'],
  foreignKeys: [
    { name: 'memberships_group_id_fk', columns: ['group_id'], table: 'groups', references: ['id'], onDelete: 'cascade' },
  ],
  indexes: [
    { name: 'memberships_group_id_role_unique', columns: ['group_id', 'role'], unique: true },
    { name: 'memberships_group_id_idx', columns: ['group_id'], unique: false },
  ],
}

describe('SqliteDdlCompiler', () => {
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
  })

  it('maps every column kind to its SQLite type, defaults and checks', async () => {
    const { ddl } = await openDatabase()
    expect(ddl.compile(items)).toEqual([
      'CREATE TABLE "items" (\n' +
        '  "id" INTEGER PRIMARY KEY AUTOINCREMENT,\n' +
        '  "count" INTEGER NOT NULL,\n' +
        '  "big" BIGINT,\n' +
        '  "ratio" REAL NOT NULL DEFAULT 0.5,\n' +
        '  "price" DECIMAL_TEXT(10,2) NOT NULL,\n' +
        '  "name" VARCHAR(100) NOT NULL UNIQUE,\n' +
        '  "body" TEXT,\n' +
        '  "active" BOOLEAN NOT NULL DEFAULT 1,\n' +
        `  "created_at" TIMESTAMP_TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),\n` +
        `  "day" DATE_TEXT NOT NULL DEFAULT (date('now')),\n` +
        `  "meta" JSON_TEXT NOT NULL DEFAULT '{"a":1}',\n` +
        '  "uid" UUID_TEXT NOT NULL,\n' +
        '  "data" BLOB,\n' +
        `  "status" TEXT NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'live'))\n` +
        ')',
      'CREATE INDEX "items_count_idx" ON "items" ("count")',
    ])
  })

  it('alterTable: a new foreign key inside ADD COLUMN, a unique as a unique index, DROP INDEX', async () => {
    const { ddl } = await openDatabase()
    const blueprint = new Blueprint('members', undefined, 'alter')
    blueprint.foreignId('teamId').nullable().constrained().onDelete('set null')
    blueprint.string('code').default('x').unique()
    blueprint.dropUnique(['code'])
    expect(ddl.compile(blueprint.toAlterNode())).toEqual([
      'ALTER TABLE "members" ADD COLUMN "team_id" BIGINT CONSTRAINT "members_team_id_foreign" REFERENCES "teams" ("id") ON DELETE SET NULL',
      'CREATE INDEX "members_team_id_index" ON "members" ("team_id")',
      `ALTER TABLE "members" ADD COLUMN "code" VARCHAR(255) NOT NULL DEFAULT 'x'`,
      'CREATE UNIQUE INDEX "members_code_unique" ON "members" ("code")',
      'DROP INDEX "members_code_unique"',
    ])
  })

  it('alterTable: what ADD COLUMN cannot do is a ValidationError naming it', async () => {
    const { ddl } = await openDatabase()
    const refused = (build: (t: Blueprint) => void) => {
      const blueprint = new Blueprint('members', undefined, 'alter')
      build(blueprint)
      return () => ddl.compile(blueprint.toAlterNode())
    }
    expect(refused((t) => t.foreignId('teamId').constrained())).toThrow(/SQLite cannot add column "team_id" with a foreign key unless it is nullable/)
    expect(refused((t) => t.integer('n'))).toThrow(/as NOT NULL without a default/)
    expect(refused((t) => t.timestamps())).toThrow(/with the expression default \(strftime/)
    expect(refused((t) => t.id())).toThrow(/as a primary key/)
    expect(refused((t) => t.dropForeign(['teamId']))).toThrow(ValidationError)
  })

  it('writes a composite primary key, a unique constraint, an index and a cascading foreign key', async () => {
    const { ddl } = await openDatabase()
    expect(ddl.compile(memberships)).toEqual([
      'CREATE TABLE "memberships" (\n' +
        '  "item_id" INTEGER NOT NULL,\n' +
        '  "group_id" INTEGER NOT NULL,\n' +
        '  "role" VARCHAR(20) NOT NULL,\n' +
        '  PRIMARY KEY ("item_id", "group_id"),\n' +
        '  CONSTRAINT "memberships_group_id_role_unique" UNIQUE ("group_id", "role"),\n' +
        '  CONSTRAINT "memberships_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "groups" ("id") ON DELETE CASCADE\n' +
        ')',
      'CREATE INDEX "memberships_group_id_idx" ON "memberships" ("group_id")',
    ])
    expect(ddl.compile({ kind: 'DropTable', name: 'memberships', ifExists: true })).toEqual(['DROP TABLE IF EXISTS "memberships"'])
  })

  it('runs on a real database: defaults fill in, the enum CHECK and the cascade work', async () => {
    const { driver, ddl } = await openDatabase()
    closers.push(() => driver.close())
    const connection = await driver.acquire()
    try {
      for (const table of [items, groups, memberships]) await runAll(connection, ddl.compile(table))

      await connection.execute({ sql: 'INSERT INTO "items" ("count", "price", "name", "uid") VALUES (?, ?, ?, ?)', params: [3, '1.50', 'a', 'u-1'] }, 'object')
      const [item] = await rows(connection, 'SELECT * FROM "items"')
      expect(item.id).toBe(1n)
      expect(item.ratio).toBe(0.5)
      expect(item.active).toBe(1n)
      expect(item.status).toBe('draft')
      expect(item.meta).toBe('{"a":1}')
      expect(item.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(Math.abs(new Date(item.created_at).getTime() - Date.now())).toBeLessThan(60_000)
      expect(item.day).toBe(new Date().toISOString().slice(0, 10))
      expect(item.price).toBe('1.50')

      // Each *_TEXT type keeps TEXT affinity: numeric-looking text stays text, every digit kept.
      await connection.execute({
        sql: 'INSERT INTO "items" ("count", "price", "name", "uid", "meta", "big", "active") VALUES (?, ?, ?, ?, ?, ?, ?)',
        params: [4, '10.10', 'n', '123', '1.50', '7', '1'],
      }, 'object')
      const [typed] = await rows(connection, `SELECT typeof("price") AS price, typeof("uid") AS uid, typeof("meta") AS meta, typeof("big") AS big, typeof("active") AS active FROM "items" WHERE "name" = 'n'`)
      expect(typed).toEqual({ price: 'text', uid: 'text', meta: 'text', big: 'integer', active: 'integer' })

      await expect(
        connection.execute({ sql: 'INSERT INTO "items" ("count", "price", "name", "uid", "status") VALUES (1, 1, ?, ?, ?)', params: ['b', 'u-2', 'gone'] }, 'object'),
      ).rejects.toThrow(QueryError)

      const indexes = await rows(connection, `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      expect(indexes.map((i) => i.name)).toEqual(['items_count_idx', 'memberships_group_id_idx'])

      await runAll(connection, [`INSERT INTO "groups" ("title") VALUES ('g1'), ('g2')`])
      await runAll(connection, [`INSERT INTO "memberships" VALUES (1, 1, 'owner'), (1, 2, 'owner')`])
      await expect(runAll(connection, [`INSERT INTO "memberships" VALUES (2, 99, 'x')`])).rejects.toThrow(ForeignKeyConstraintError)
      await runAll(connection, [`DELETE FROM "groups" WHERE "id" = 1`])
      expect(await rows(connection, 'SELECT "group_id" FROM "memberships"', [], 'array')).toEqual([[2n]])
    } finally {
      connection.release()
    }
  })

  it('creates and drops inside a transaction that rolls back (transactional DDL)', async () => {
    const { driver, ddl } = await openDatabase()
    closers.push(() => driver.close())
    const connection = await driver.acquire()
    try {
      await connection.begin()
      await runAll(connection, ddl.compile(groups))
      await connection.rollback()
      expect(await rows(connection, `SELECT name FROM sqlite_master WHERE name = 'groups'`)).toEqual([])
    } finally {
      connection.release()
    }
  })
})
