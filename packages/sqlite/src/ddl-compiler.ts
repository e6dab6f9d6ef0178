import {
  DdlCompiler, sql, ValidationError, type ColumnDefinitionNode, type ForeignKeyNode, type IndexNode, type SqlFragment,
} from '@orm/core'

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

  // ALTER TABLE cannot add a constraint: a new column's foreign key goes in its ADD COLUMN.
  protected override readonly foreignKeyOnAddColumn = true

  /**
   * What SQLite's ADD COLUMN cannot do is refused before anything runs, naming the limitation; the way around
   * it (a new table, copy, drop, rename) is left to the migration, which knows the data.
   */
  protected override addedColumnDefinition(table: string, column: ColumnDefinitionNode, foreignKey?: ForeignKeyNode): string {
    const { config } = column
    const refuse = (why: string, fix: string) => {
      throw new ValidationError(
        `alterTable("${table}"): SQLite cannot add column "${column.name}" ${why}. ${fix}, or make a new table with ` +
          'createTable, copy the rows and rename it (see docs/ddl.md#sqlite).',
      )
    }
    if (config.primaryKey || config.autoIncrement) refuse('as a primary key (ALTER TABLE ADD COLUMN takes no PRIMARY KEY)', 'Add a plain column')
    const def = this.defaultClause(column)
    if (foreignKey && (!config.nullable || def)) {
      refuse('with a foreign key unless it is nullable with no default', "Make it .nullable() (it is added as NULL in every row)")
    }
    if (!config.nullable && !def) {
      refuse('as NOT NULL without a default (the existing rows would have no value)', 'Give it a .default(...) or make it .nullable()')
    }
    if (def?.startsWith('(')) {
      refuse(`with the expression default ${def} (ADD COLUMN takes constant defaults only)`, 'Use a constant default or .nullable()')
    }
    return super.addedColumnDefinition(table, column, foreignKey)
  }

  /** A unique index: SQLite has no ADD CONSTRAINT. */
  protected override addIndex(table: string, idx: IndexNode): string {
    return this.createIndex(table, idx)
  }

  protected override dropIndex(_table: string, name: string): string {
    return `DROP INDEX ${this.q(name)}`
  }

  protected override dropForeignKey(table: string, name: string): string {
    throw new ValidationError(
      `alterTable("${table}"): SQLite cannot drop the foreign key "${name}" from an existing table (ALTER TABLE has no ` +
        'DROP CONSTRAINT). Drop the column that holds it, or make a new table without it and copy the rows.',
    )
  }

  override tableExists(table: string): SqlFragment {
    return sql`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ${table}`
  }

  override columnExists(table: string, column: string): SqlFragment {
    return sql`SELECT 1 AS found FROM pragma_table_info(${table}) WHERE name = ${column}`
  }
}
