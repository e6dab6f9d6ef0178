/**
 * The SQL text and parameters every builder method compiles to, on each dialect. The dialects run on a
 * recording driver: nothing connects, and each statement is captured as it would have been sent.
 */
import { col, createDb, defineSchema, model, sql, table, type CompiledQuery, type Dialect } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'
import { sqlite } from '@orm/sqlite'
import { describe, expect, it } from 'vitest'

const users = table('users', { ...model(), name: col.string(), age: col.integer().nullable(), active: col.boolean().default(true) })
const tags = table('tags', { id: col.id(), name: col.string().unique() })
const schema = defineSchema({ users, tags })

type Name = 'sqlite' | 'pg' | 'mysql'

function recording(dialect: Dialect, sent: CompiledQuery[]): Dialect {
  const connection = {
    execute: async (q: CompiledQuery) => {
      sent.push(q)
      return { rows: [], affectedRows: 0, insertId: 1 }
    },
    begin: async () => {}, commit: async () => {}, rollback: async () => {},
    savepoint: async () => {}, releaseSavepoint: async () => {}, rollbackToSavepoint: async () => {},
    release: () => {},
  }
  const recorded = Object.create(dialect) as Dialect & { createDriver: Dialect['createDriver'] }
  recorded.createDriver = () => ({ connect: async () => ({}), acquire: async () => connection, close: async () => {} })
  return recorded
}

const dialects: Record<Name, () => Dialect> = {
  sqlite: () => sqlite(),
  pg: () => pg({ connectionString: 'postgres://nobody@127.0.0.1:1/none' }),
  mysql: () => mysql({ uri: 'mysql://nobody@127.0.0.1:1/none' }),
}

function dbs() {
  return Object.fromEntries(
    (Object.keys(dialects) as Name[]).map((name) => {
      const sent: CompiledQuery[] = []
      return [name, { db: createDb({ schema, dialect: recording(dialects[name](), sent) }), sent }]
    }),
  ) as Record<Name, { db: ReturnType<typeof createDb<typeof schema>>; sent: CompiledQuery[] }>
}

/** Runs `action` on each dialect and asserts the first statement it sent. */
async function expectSql(
  action: (db: ReturnType<typeof createDb<typeof schema>>) => Promise<unknown>,
  expected: Record<Name, CompiledQuery>,
) {
  const all = dbs()
  for (const name of Object.keys(expected) as Name[]) {
    await action(all[name].db).catch(() => undefined)
    expect({ name, ...all[name].sent[0] }).toEqual({ name, ...expected[name] })
  }
}

const U = (q: string) => `${q}users${q}`
const cols = (q: string) =>
  ['id', 'created_at', 'updated_at', 'deleted_at', 'name', 'age', 'active'].map((c) => `${q}users${q}.${q}${c}${q}`).join(', ')
const live = (q: string) => `${q}users${q}.${q}deleted_at${q} IS NULL`

describe('compiled SQL per dialect', () => {
  it('where (column, op, value), orderBy with a nullable column, limit, offset', async () => {
    await expectSql((db) => db.users.query().where('age', '>', 3).orderBy('age', 'desc').limit(5).offset(10).get(), {
      sqlite: { sql: `SELECT ${cols('"')} FROM ${U('"')} WHERE "users"."age" > ? AND ${live('"')} ORDER BY "users"."age" DESC LIMIT 5 OFFSET 10`, params: [3] },
      pg: { sql: `SELECT ${cols('"')} FROM ${U('"')} WHERE "users"."age" > $1 AND ${live('"')} ORDER BY "users"."age" DESC NULLS LAST LIMIT 5 OFFSET 10`, params: [3] },
      mysql: { sql: `SELECT ${cols('`')} FROM ${U('`')} WHERE \`users\`.\`age\` > ? AND ${live('`')} ORDER BY \`users\`.\`age\` DESC LIMIT 5 OFFSET 10`, params: [3] },
    })
  })

  it('booleans are encoded per dialect; orWhere groups; whereIn; whereNull; whereBetween', async () => {
    await expectSql(
      (db) => db.users.query().withTrashed().where('active', true).where((g) => g.whereIn('id', [1, 2]).orWhereNull('age')).whereBetween('age', [1, 9]).get(),
      {
        sqlite: { sql: `SELECT ${cols('"')} FROM "users" WHERE "users"."active" = ? AND ("users"."id" IN (?, ?) OR "users"."age" IS NULL) AND "users"."age" BETWEEN ? AND ?`, params: [1, 1, 2, 1, 9] },
        pg: { sql: `SELECT ${cols('"')} FROM "users" WHERE "users"."active" = $1 AND ("users"."id" IN ($2, $3) OR "users"."age" IS NULL) AND "users"."age" BETWEEN $4 AND $5`, params: [true, 1, 2, 1, 9] },
        mysql: { sql: `SELECT ${cols('`')} FROM \`users\` WHERE \`users\`.\`active\` = ? AND (\`users\`.\`id\` IN (?, ?) OR \`users\`.\`age\` IS NULL) AND \`users\`.\`age\` BETWEEN ? AND ?`, params: [1, 1, 2, 1, 9] },
      },
    )
  })

  it('whereRaw and the sql template', async () => {
    await expectSql((db) => db.tags.query().whereRaw('name like ? or id = ?', ['a%', 3]).whereRaw(sql`${db.tags.id} < ${9}`).get(), {
      sqlite: { sql: 'SELECT "tags"."id", "tags"."name" FROM "tags" WHERE name like ? or id = ? AND "tags"."id" < ?', params: ['a%', 3, 9] },
      pg: { sql: 'SELECT "tags"."id", "tags"."name" FROM "tags" WHERE name like $1 or id = $2 AND "tags"."id" < $3', params: ['a%', 3, 9] },
      mysql: { sql: 'SELECT `tags`.`id`, `tags`.`name` FROM `tags` WHERE name like ? or id = ? AND `tags`.`id` < ?', params: ['a%', 3, 9] },
    })
  })

  it('count, exists, pluck, offset without limit', async () => {
    await expectSql((db) => db.tags.query().where('name', 'x').count(), {
      sqlite: { sql: 'SELECT COUNT(*) FROM "tags" WHERE "tags"."name" = ?', params: ['x'] },
      pg: { sql: 'SELECT COUNT(*) FROM "tags" WHERE "tags"."name" = $1', params: ['x'] },
      mysql: { sql: 'SELECT COUNT(*) FROM `tags` WHERE `tags`.`name` = ?', params: ['x'] },
    })
    await expectSql((db) => db.tags.query().exists(), {
      sqlite: { sql: 'SELECT 1 FROM "tags" LIMIT 1', params: [] },
      pg: { sql: 'SELECT 1 FROM "tags" LIMIT 1', params: [] },
      mysql: { sql: 'SELECT 1 FROM `tags` LIMIT 1', params: [] },
    })
    await expectSql((db) => db.tags.query().offset(3).pluck('name'), {
      sqlite: { sql: 'SELECT "tags"."name" FROM "tags" LIMIT -1 OFFSET 3', params: [] },
      pg: { sql: 'SELECT "tags"."name" FROM "tags" LIMIT ALL OFFSET 3', params: [] },
      mysql: { sql: 'SELECT `tags`.`name` FROM `tags` LIMIT 18446744073709551615 OFFSET 3', params: [] },
    })
  })

  it('insert: RETURNING where the dialect has it; MySQL 8 (ids not consecutive) inserts row by row', async () => {
    await expectSql((db) => db.tags.insert([{ name: 'a' }, { name: 'b' }]), {
      sqlite: { sql: 'INSERT INTO "tags" ("name") VALUES (?), (?) RETURNING "id", "name"', params: ['a', 'b'] },
      pg: { sql: 'INSERT INTO "tags" ("name") VALUES ($1), ($2) RETURNING "id", "name"', params: ['a', 'b'] },
      mysql: { sql: 'INSERT INTO `tags` (`name`) VALUES (?)', params: ['a'] },
    })
  })

  it('upsert', async () => {
    await expectSql((db) => db.tags.upsert({ id: 1, name: 'a' }, { conflict: ['name'], update: ['id'] }), {
      sqlite: { sql: 'INSERT INTO "tags" ("id", "name") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "id" = excluded."id" RETURNING "id", "name"', params: [1, 'a'] },
      pg: { sql: 'INSERT INTO "tags" ("id", "name") VALUES ($1, $2) ON CONFLICT ("name") DO UPDATE SET "id" = excluded."id" RETURNING "id", "name"', params: [1, 'a'] },
      mysql: { sql: 'INSERT INTO `tags` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)', params: [1, 'a'] },
    })
  })

  it('query update and delete, soft delete', async () => {
    await expectSql((db) => db.tags.query().where('id', 2).update({ name: sql`upper(name)` }), {
      sqlite: { sql: 'UPDATE "tags" SET "name" = upper(name) WHERE "tags"."id" = ?', params: [2] },
      pg: { sql: 'UPDATE "tags" SET "name" = upper(name) WHERE "tags"."id" = $1', params: [2] },
      mysql: { sql: 'UPDATE `tags` SET `name` = upper(name) WHERE `tags`.`id` = ?', params: [2] },
    })
    await expectSql((db) => db.tags.query().where('id', 2).delete(), {
      sqlite: { sql: 'DELETE FROM "tags" WHERE "tags"."id" = ?', params: [2] },
      pg: { sql: 'DELETE FROM "tags" WHERE "tags"."id" = $1', params: [2] },
      mysql: { sql: 'DELETE FROM `tags` WHERE `tags`.`id` = ?', params: [2] },
    })
    const soft = dbs()
    await soft.pg.db.users.delete(7)
    expect(soft.pg.sent[0].sql).toBe('UPDATE "users" SET "deleted_at" = $1 WHERE "users"."id" = $2 AND "users"."deleted_at" IS NULL')
    expect(soft.pg.sent[0].params[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })
})
