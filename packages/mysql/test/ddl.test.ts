import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Blueprint, type Connection, type CreateTableNode } from '@orm/core'
import { MysqlCodecs, MysqlCompiler, MysqlDdlCompiler, mysql, mysql80Capabilities, type MysqlDriver } from '../src/index.js'
import { announceSkip, col, column, url } from './helpers.js'

const ddl = new MysqlDdlCompiler(new MysqlCompiler(mysql80Capabilities, new MysqlCodecs()))

const users: CreateTableNode = {
  kind: 'CreateTable',
  name: 'mydrv_ddl_users',
  primaryKey: ['id'],
  foreignKeys: [],
  indexes: [{ name: 'mydrv_ddl_users_name_age_unique', columns: ['name', 'age'], unique: true }],
  columns: [
    column('id', col.id()),
    column('email', col.string().unique()),
    column('name', col.string({ length: 100 }).default("it's a \\ backslash")),
    column('age', col.integer().nullable()),
    column('big', col.bigint({ mode: 'bigint' }).default(9007199254740993n)),
    column('ratio', col.float().default(1.5)),
    column('price', col.decimal({ precision: 10, scale: 2 }).default('12.50')),
    column('bio', col.text().default('hello')),
    column('active', col.boolean().default(true)),
    column('created_at', col.timestamp().defaultNow()),
    column('fixed_at', col.timestamp().default(new Date(Date.UTC(2001, 1, 3, 4, 5, 6, 789)))),
    column('born', col.date().defaultNow()),
    column('meta', col.json().default({ a: 1 })),
    column('token', col.uuid().nullable()),
    column('avatar', col.binary().nullable()),
    column('role', col.enum(['admin', 'user']).default('user')),
  ],
}

const posts: CreateTableNode = {
  kind: 'CreateTable',
  name: 'mydrv_ddl_posts',
  primaryKey: ['user_id', 'slug'],
  columns: [column('user_id', col.bigint()), column('slug', col.string()), column('title', col.string())],
  foreignKeys: [
    { name: 'mydrv_ddl_posts_user_fk', columns: ['user_id'], table: 'mydrv_ddl_users', references: ['id'], onDelete: 'cascade' },
  ],
  indexes: [{ name: 'mydrv_ddl_posts_title_idx', columns: ['title'], unique: false }],
}

const SUFFIX = ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin'

describe('MysqlDdlCompiler', () => {
  it('declares every column kind', () => {
    expect(ddl.compile(users)).toEqual([
      'CREATE TABLE `mydrv_ddl_users` (\n  ' +
        [
          '`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY',
          '`email` VARCHAR(255) NOT NULL UNIQUE',
          "`name` VARCHAR(100) NOT NULL DEFAULT 'it''s a \\\\ backslash'",
          '`age` INT',
          '`big` BIGINT NOT NULL DEFAULT 9007199254740993',
          '`ratio` DOUBLE NOT NULL DEFAULT 1.5',
          "`price` DECIMAL(10,2) NOT NULL DEFAULT '12.50'",
          "`bio` LONGTEXT NOT NULL DEFAULT ('hello')",
          '`active` TINYINT(1) NOT NULL DEFAULT 1',
          '`created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)',
          "`fixed_at` DATETIME(3) NOT NULL DEFAULT '2001-02-03 04:05:06.789'",
          '`born` DATE NOT NULL DEFAULT (CURRENT_DATE)',
          '`meta` JSON NOT NULL DEFAULT (\'{"a":1}\')',
          '`token` CHAR(36)',
          '`avatar` LONGBLOB',
          "`role` VARCHAR(255) NOT NULL DEFAULT 'user' CHECK (`role` IN ('admin', 'user'))",
          'CONSTRAINT `mydrv_ddl_users_name_age_unique` UNIQUE (`name`, `age`)',
        ].join(',\n  ') +
        '\n)' +
        SUFFIX,
    ])
  })

  it('alterTable: the index before the foreign key (MySQL would make its own), DROP INDEX ... ON, DROP FOREIGN KEY', () => {
    const blueprint = new Blueprint('members', undefined, 'alter')
    blueprint.text('bio').default('none')
    blueprint.foreignId('teamId').constrained().onDelete('cascade')
    blueprint.unique(['bio'], 'members_bio_once')
    blueprint.dropUnique('members_bio_once')
    blueprint.dropIndex(['x'])
    blueprint.dropForeign(['teamId'])
    expect(ddl.compile(blueprint.toAlterNode())).toEqual([
      "ALTER TABLE `members` ADD COLUMN `bio` LONGTEXT NOT NULL DEFAULT ('none')",
      'ALTER TABLE `members` ADD COLUMN `team_id` BIGINT NOT NULL',
      'CREATE INDEX `members_team_id_index` ON `members` (`team_id`)',
      'ALTER TABLE `members` ADD CONSTRAINT `members_team_id_foreign` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`) ON DELETE CASCADE',
      'ALTER TABLE `members` ADD CONSTRAINT `members_bio_once` UNIQUE (`bio`)',
      'DROP INDEX `members_bio_once` ON `members`',
      'DROP INDEX `members_x_index` ON `members`',
      'ALTER TABLE `members` DROP FOREIGN KEY `members_team_id_foreign`',
    ])
  })

  it('declares a composite primary key, a cascading foreign key and an index', () => {
    expect(ddl.compile(posts)).toEqual([
      'CREATE TABLE `mydrv_ddl_posts` (\n  ' +
        [
          '`user_id` BIGINT NOT NULL',
          '`slug` VARCHAR(255) NOT NULL',
          '`title` VARCHAR(255) NOT NULL',
          'PRIMARY KEY (`user_id`, `slug`)',
          'CONSTRAINT `mydrv_ddl_posts_user_fk` FOREIGN KEY (`user_id`) REFERENCES `mydrv_ddl_users` (`id`) ON DELETE CASCADE',
        ].join(',\n  ') +
        '\n)' +
        SUFFIX,
      'CREATE INDEX `mydrv_ddl_posts_title_idx` ON `mydrv_ddl_posts` (`title`)',
    ])
    expect(ddl.compile({ kind: 'DropTable', name: 'mydrv_ddl_posts', ifExists: true })).toEqual([
      'DROP TABLE IF EXISTS `mydrv_ddl_posts`',
    ])
  })
})

announceSkip('ddl.test.ts')

describe.skipIf(!url)('MysqlDdlCompiler on the server', () => {
  const dialect = mysql({ uri: url })
  let driver: MysqlDriver
  let conn: Connection
  const run = (sql: string, params: unknown[] = []) => conn.execute({ sql, params }, 'object')
  const drop = async () => {
    await run('DROP TABLE IF EXISTS `mydrv_ddl_posts`')
    await run('DROP TABLE IF EXISTS `mydrv_ddl_users`')
  }

  beforeAll(async () => {
    driver = dialect.createDriver()
    await driver.connect()
    conn = await driver.acquire()
    await drop()
  })

  afterAll(async () => {
    await drop()
    conn.release()
    await driver.close()
  })

  it('creates the tables, fills the defaults and cascades deletes', async () => {
    for (const sql of [...ddl.compile(users), ...ddl.compile(posts)]) await run(sql)
    const { insertId } = await run('INSERT INTO `mydrv_ddl_users` (`email`) VALUES (?)', ['a@x'])
    expect(insertId).toBe(1)
    const [row] = (await run('SELECT * FROM `mydrv_ddl_users`')).rows as Record<string, unknown>[]
    expect(row).toMatchObject({
      name: "it's a \\ backslash",
      age: null,
      big: '9007199254740993',
      ratio: 1.5,
      price: '12.50',
      bio: 'hello',
      active: 1,
      fixed_at: '2001-02-03 04:05:06.789',
      meta: '{"a":1}',
      role: 'user',
    })
    // CURRENT_TIMESTAMP(3) is read in the session time zone, which the driver sets to UTC.
    const createdAt = new Date(String(row.created_at).replace(' ', 'T') + 'Z').getTime()
    expect(Math.abs(createdAt - Date.now())).toBeLessThan(60_000)
    expect(row.born).toBe(new Date().toISOString().slice(0, 10))

    // The enum CHECK and the binary collation (case-sensitive uniqueness).
    await expect(run("INSERT INTO `mydrv_ddl_users` (`email`, `role`) VALUES ('b@x', 'root')")).rejects.toThrow()
    await run("INSERT INTO `mydrv_ddl_users` (`email`) VALUES ('A@X')")
    expect((await run("SELECT COUNT(*) AS n FROM `mydrv_ddl_users` WHERE `email` = 'a@x'")).rows).toEqual([{ n: '1' }])

    await run('INSERT INTO `mydrv_ddl_posts` (`user_id`, `slug`, `title`) VALUES (1, ?, ?), (1, ?, ?)', ['s1', 't', 's2', 't'])
    await run('DELETE FROM `mydrv_ddl_users` WHERE `id` = 1')
    expect((await run('SELECT * FROM `mydrv_ddl_posts`')).rows).toEqual([])
  })
})
