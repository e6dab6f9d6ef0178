/**
 * What `@orm/sqlite` resolves to when a page runs on PostgreSQL or MySQL: `sqlite(...)` opens a new, empty
 * database on the server under test instead (its options are for SQLite and are not used). Nothing else of
 * a page changes between dialects. See databases.ts for where the database lives.
 */
import type { Dialect } from '@orm/core'
import type { SqliteOptions } from '@orm/sqlite'
import { currentServer } from './databases.js'

export function sqlite(_options: SqliteOptions = {}): Dialect {
  return currentServer().openDatabase()
}
