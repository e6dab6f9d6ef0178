import { describe, expect, it } from 'vitest'
import { openDatabase, runAll } from './helpers.js'

describe('SqliteIntrospector', () => {
  it('reads columns, keys, uniques and foreign keys, and skips sqlite_ tables', async () => {
    const { dialect, driver } = await openDatabase()
    const connection = await driver.acquire()
    try {
      await runAll(connection, [
        'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email VARCHAR(255) NOT NULL UNIQUE, nick TEXT DEFAULT \'x\')',
        'CREATE TABLE tags (a INTEGER, b TEXT, PRIMARY KEY (a, b))',
        'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, ' +
          'tag_a INTEGER, tag_b TEXT, slug TEXT, FOREIGN KEY (tag_a, tag_b) REFERENCES tags)',
        'CREATE UNIQUE INDEX posts_user_slug ON posts (user_id, slug)',
        'CREATE INDEX posts_slug ON posts (slug)',
        'INSERT INTO users (email) VALUES (\'a@x\')',
      ])
      const tables = await dialect.introspector!.tables(connection)
      expect(tables.map((t) => t.name)).toEqual(['posts', 'tags', 'users'])
      const [posts, tags, users] = tables

      expect(users).toEqual({
        name: 'users',
        columns: [
          { name: 'id', dataType: 'INTEGER', nullable: false, default: null, autoIncrement: true },
          { name: 'email', dataType: 'VARCHAR(255)', nullable: false, default: null, autoIncrement: false },
          { name: 'nick', dataType: 'TEXT', nullable: true, default: "'x'", autoIncrement: false },
        ],
        primaryKey: ['id'],
        uniques: [['email']],
        foreignKeys: [],
      })
      expect(tags.primaryKey).toEqual(['a', 'b'])
      expect(tags.columns.every((c) => !c.autoIncrement && !c.nullable)).toBe(true)
      expect(posts.uniques).toEqual([['user_id', 'slug']])
      expect(posts.foreignKeys).toEqual(expect.arrayContaining([
        { columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
        { columns: ['tag_a', 'tag_b'], referencedTable: 'tags', referencedColumns: ['a', 'b'], onDelete: 'no action', onUpdate: 'no action' },
      ]))
      expect(posts.foreignKeys).toHaveLength(2)
    } finally {
      connection.release()
      await driver.close()
    }
  })

  it('reads the values of an enum CHECK, as the DDL writes it or written by hand', async () => {
    const { dialect, driver } = await openDatabase()
    const connection = await driver.acquire()
    try {
      await runAll(connection, [
        `CREATE TABLE items (id INTEGER PRIMARY KEY, "status" TEXT NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft', 'it''s live')), ` +
          `kind TEXT, note TEXT CHECK (length(note) < 10), CHECK(kind in ('a','b')))`,
      ])
      const [items] = await dialect.introspector!.tables(connection)
      const byName = Object.fromEntries(items.columns.map((c) => [c.name, c.enumValues]))
      expect(byName).toEqual({ id: undefined, status: ['draft', "it's live"], kind: ['a', 'b'], note: undefined })
    } finally {
      connection.release()
      await driver.close()
    }
  })
})
