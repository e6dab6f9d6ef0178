import { DdlCompiler, type ColumnDefinitionNode } from '@orm/core'

/**
 * SQLite types. The declared type names the column kind, so `orm pull` reads the kind back, while keeping the
 * storage affinity each kind needs: dates, decimals, JSON and UUIDs have TEXT affinity (`*_TEXT`) so they read
 * back exactly as written (a DECIMAL or JSON type would get NUMERIC affinity and turn '1.50' into 1.5); BIGINT
 * has INTEGER affinity and BOOLEAN NUMERIC affinity, which stores and compares integers the same way.
 */
export class SqliteDdlCompiler extends DdlCompiler {
  columnType(column: ColumnDefinitionNode): string {
    switch (column.kind) {
      case 'id': case 'integer':
        return 'INTEGER'
      case 'bigint':
        return 'BIGINT'
      case 'boolean':
        return 'BOOLEAN'
      case 'float':
        return 'REAL'
      case 'string':
        return `VARCHAR(${column.config.length ?? 255})`
      case 'binary':
        return 'BLOB'
      case 'decimal':
        return `DECIMAL_TEXT(${column.config.precision ?? 18},${column.config.scale ?? 2})`
      case 'timestamp':
        return 'TIMESTAMP_TEXT'
      case 'date':
        return 'DATE_TEXT'
      case 'json':
        return 'JSON_TEXT'
      case 'uuid':
        return 'UUID_TEXT'
      case 'text': case 'enum':
        return 'TEXT'
    }
  }

  // AUTOINCREMENT: ids of deleted rows are never reused, as on the other databases.
  autoIncrementColumn(_column: ColumnDefinitionNode): string {
    return 'INTEGER PRIMARY KEY AUTOINCREMENT'
  }

  // The same ISO 8601 text with milliseconds that the codecs write, so defaults sort and parse alike.
  protected override currentTimestamp(): string {
    return "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
  }

  protected override currentDate(): string {
    return "(date('now'))"
  }
}
