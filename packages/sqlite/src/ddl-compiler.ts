import { DdlCompiler, type ColumnDefinitionNode } from '@orm/core'

/** SQLite types by affinity: dates, decimals and JSON are TEXT so they read back exactly as written. */
export class SqliteDdlCompiler extends DdlCompiler {
  columnType(column: ColumnDefinitionNode): string {
    switch (column.kind) {
      case 'id': case 'integer': case 'bigint': case 'boolean':
        return 'INTEGER'
      case 'float':
        return 'REAL'
      case 'string':
        return `VARCHAR(${column.config.length ?? 255})`
      case 'binary':
        return 'BLOB'
      // decimal: TEXT keeps every digit (REAL would round, NUMERIC too past 15 digits).
      case 'decimal': case 'text': case 'timestamp': case 'date': case 'json': case 'uuid': case 'enum':
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
