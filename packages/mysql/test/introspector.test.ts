import type { Connection } from '@orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysql } from '../src/index.js'
import { enumCheck } from '../src/introspector.js'
import { announceSkip, url } from './helpers.js'

announceSkip('introspector.test.ts')

describe('enumCheck', () => {
  it('reads a CHECK clause as MariaDB and MySQL 8 print it', () => {
    expect(enumCheck("`st` in ('a','b')")).toEqual({ column: 'st', values: ['a', 'b'] })
    expect(enumCheck("(`st` in (_utf8mb4'a',_utf8mb4'it\\'s',_utf8mb4'x''y'))")).toEqual({ column: 'st', values: ['a', "it's", "x'y"] })
    expect(enumCheck('json_valid(`meta`)')).toBeUndefined()
    expect(enumCheck('`n` in (1,2)')).toBeUndefined()
  })
})

describe.skipIf(!url)('MysqlIntrospector on the server', () => {
  const dialect = mysql({ uri: url })
  const driver = dialect.createDriver()
  let connection: Connection
  const run = (sql: string) => connection.execute({ sql, params: [] }, 'object')

  beforeAll(async () => {
    await driver.connect()
    connection = await driver.acquire()
    await run('DROP TABLE IF EXISTS myi_posts, myi_users')
    await run(`CREATE TABLE myi_users (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE,
      status VARCHAR(255) NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'it''s')), mood ENUM('happy', 'sad'),
      meta JSON, note VARCHAR(20) DEFAULT 'a\\\\b''c') ENGINE=InnoDB`)
    await run(`CREATE TABLE myi_posts (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id BIGINT,
      CONSTRAINT myi_posts_user FOREIGN KEY (user_id) REFERENCES myi_users (id) ON DELETE SET NULL ON UPDATE CASCADE) ENGINE=InnoDB`)
  })
  afterAll(async () => {
    await run('DROP TABLE IF EXISTS myi_posts, myi_users')
    connection.release()
    await driver.close()
  })

  it('reads enum values (CHECK or ENUM), JSON, standard-quoted defaults and referential actions', async () => {
    const tables = await dialect.introspector!.tables(connection)
    const users = tables.find((t) => t.name === 'myi_users')!
    const posts = tables.find((t) => t.name === 'myi_posts')!
    const byName = Object.fromEntries(users.columns.map((c) => [c.name, c]))
    expect(byName.status).toMatchObject({ default: "'new'", enumValues: ['new', "it's"] })
    expect(byName.mood).toMatchObject({ nullable: true, enumValues: ['happy', 'sad'] })
    expect(byName.meta.dataType.toLowerCase()).toBe('json')
    expect(byName.note.default).toBe("'a\\b''c'")
    expect(byName.email.enumValues).toBeUndefined()
    expect(users.uniques).toEqual([['email']])
    expect(posts.foreignKeys).toEqual([
      { columns: ['user_id'], referencedTable: 'myi_users', referencedColumns: ['id'], onDelete: 'set null', onUpdate: 'cascade' },
    ])
  })
})
