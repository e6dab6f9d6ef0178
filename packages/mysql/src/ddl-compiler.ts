import { DdlCompiler, sql, type ColumnDefinitionNode, type SqlFragment } from '@orm/core'
import { formatDateTime } from './codecs.js'

/** CREATE/DROP TABLE for MySQL 8 and MariaDB (InnoDB). */
export class MysqlDdlCompiler extends DdlCompiler {
  columnType(column: ColumnDefinitionNode): string {
    const { config } = column
    switch (column.kind) {
      case 'id': return 'BIGINT'
      case 'integer': return 'INT'
      case 'bigint': return 'BIGINT'
      case 'float': return 'DOUBLE'
      case 'decimal': return `DECIMAL(${config.precision ?? 18},${config.scale ?? 2})`
      case 'string': return `VARCHAR(${config.length ?? 255})`
      case 'text': return 'LONGTEXT'
      case 'boolean': return 'TINYINT(1)'
      // DATETIME, not TIMESTAMP: TIMESTAMP ends in 2038 and shifts with the session time zone.
      case 'timestamp': return 'DATETIME(3)'
      case 'date': return 'DATE'
      // On MariaDB JSON is an alias of LONGTEXT with a JSON_VALID check.
      case 'json': return 'JSON'
      case 'uuid': return 'CHAR(36)'
      case 'binary': return 'LONGBLOB'
      // The base compiler adds CHECK (col IN (...)); a native ENUM would sort by position, not by text.
      case 'enum': return 'VARCHAR(255)'
    }
  }

  /** Unique constraints are indexes on MySQL: both are dropped with DROP INDEX ... ON. */
  protected override dropIndex(table: string, name: string): string {
    return `DROP INDEX ${this.q(name)} ON ${this.q(table)}`
  }

  protected override dropForeignKey(table: string, name: string): string {
    return `ALTER TABLE ${this.q(table)} DROP FOREIGN KEY ${this.q(name)}`
  }

  protected override currentSchema(): SqlFragment {
    return sql`DATABASE()`
  }

  /** Signed BIGINT, so that it matches the `bigint` columns of foreign keys that reference it. */
  autoIncrementColumn(_column: ColumnDefinitionNode): string {
    return 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY'
  }

  /** MySQL treats a backslash in a string literal as an escape character, so it is doubled too. */
  override stringLiteral(value: string): string {
    return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'"
  }

  /** MySQL 8 allows no literal DEFAULT on TEXT/BLOB/JSON, only an expression (8.0.13+); MariaDB accepts both. */
  protected override textDefault(literal: string): string {
    return `(${literal})`
  }

  protected override timestampLiteral(value: Date): string {
    return formatDateTime(value)
  }

  /** The precision must match the column's DATETIME(3). */
  protected override currentTimestamp(): string {
    return 'CURRENT_TIMESTAMP(3)'
  }

  /** Only an expression default can read the current date on a DATE column. */
  protected override currentDate(): string {
    return '(CURRENT_DATE)'
  }

  /**
   * utf8mb4 stores every Unicode character. The binary collation makes `=` case- and accent-sensitive and
   * orders strings by code point, as PostgreSQL (C collation) and SQLite do; the servers' default collations
   * are case-insensitive, so the same query would find different rows here. (utf8mb4_bin is still PAD SPACE:
   * trailing spaces are ignored when comparing.)
   */
  protected override tableSuffix(): string {
    return ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin'
  }
}
