import { SqlCompiler, type Capabilities, type Codecs, type InsertNode, type OnConflictNode, type SqlWriter } from '@orm/core'

export interface MysqlCompilerOptions {
  /** The server parses the row alias upsert (MySQL 8.0.19+); otherwise `VALUES(c)` (MariaDB, older MySQL). */
  readonly upsertAlias?: boolean
}

/** SQL for MySQL 8 and MariaDB: backticks, `?` placeholders, ON DUPLICATE KEY UPDATE. */
export class MysqlCompiler extends SqlCompiler {
  readonly upsertAlias: boolean

  constructor(capabilities: Capabilities, codecs: Codecs, options: MysqlCompilerOptions = {}) {
    super(capabilities, codecs)
    this.upsertAlias = options.upsertAlias ?? false
  }

  override quoteIdentifier(name: string): string {
    return '`' + name.replace(/`/g, '``') + '`'
  }

  override placeholder(_index: number): string {
    return '?'
  }

  /** MySQL has no LIMIT-less OFFSET: the largest BIGINT UNSIGNED stands for "all". */
  override noLimit(): string {
    return '18446744073709551615'
  }

  override insertDefaultValues(): string {
    return ' () VALUES ()'
  }

  /** ON DUPLICATE KEY UPDATE matches ANY unique key: the conflict columns are not a target here. */
  override upsert(w: SqlWriter, node: InsertNode, conflict: OnConflictNode): void {
    if (conflict.update.length === 0) {
      // "Do nothing": a no-op assignment keeps the existing row without the error INSERT IGNORE would also hide.
      const column = conflict.columns[0] ?? node.columns[0]
      w.write(' ON DUPLICATE KEY UPDATE ').id(column).write(' = ').id(column)
      return
    }
    if (this.upsertAlias) {
      w.write(' AS ').id('new').write(' ON DUPLICATE KEY UPDATE ')
      w.list(conflict.update, (c) => w.id(c).write(' = ').id('new').write('.').id(c))
      return
    }
    w.write(' ON DUPLICATE KEY UPDATE ').list(conflict.update, (c) => w.id(c).write(' = VALUES(').id(c).write(')'))
  }

  override lockClause(lock: 'update' | 'share'): string {
    // FOR SHARE is MySQL 8 only; LOCK IN SHARE MODE is accepted by both servers.
    return lock === 'update' ? ' FOR UPDATE' : ' LOCK IN SHARE MODE'
  }
}
