import { SqlCompiler } from '@orm/core'

/**
 * The base compiler already speaks SQLite (double-quoted identifiers, `?`, `LIMIT -1 OFFSET n`,
 * ON CONFLICT ... excluded, RETURNING); only row locks differ.
 */
export class SqliteCompiler extends SqlCompiler {
  // SQLite has no row locks: a write transaction (BEGIN IMMEDIATE) already excludes every other writer.
  override lockClause(_lock: 'update' | 'share'): string {
    return ''
  }
}
