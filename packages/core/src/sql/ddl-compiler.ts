import { SchemaError } from '../errors.js'
import type { ColumnKind } from '../schema/columns.js'
import type { SqlCompiler } from './compiler.js'
import type {
  AlterActionNode, AlterTableNode, ColumnDefinitionNode, CreateTableNode, DdlNode, DropTableNode, ForeignKeyNode, IndexNode,
  RenameTableNode,
} from './ddl.js'
import { sql, type SqlFragment } from './sql-template.js'

/**
 * Compiles DDL nodes to statements. Dialects override `columnType`, the default-value hooks and the
 * auto-increment clause. DDL cannot bind parameters, so literal defaults are escaped here as literals.
 */
export abstract class DdlCompiler {
  constructor(readonly compiler: SqlCompiler) {}

  /** Plain indexes go inside CREATE TABLE (MySQL, which has no CREATE INDEX IF NOT EXISTS) instead of after it. */
  protected readonly inlineIndexes: boolean = false

  compile(node: DdlNode): string[] {
    switch (node.kind) {
      case 'CreateTable': return this.createTable(node)
      case 'DropTable': return [this.dropTable(node)]
      case 'AlterTable': return node.actions.flatMap((action) => this.alterAction(node, action))
      case 'RenameTable': return [this.renameTable(node)]
    }
  }

  /** The database type of a column kind. */
  abstract columnType(column: ColumnDefinitionNode): string

  /** How an auto-increment primary key column is declared, after its name. */
  abstract autoIncrementColumn(column: ColumnDefinitionNode): string

  protected q(name: string): string {
    return this.compiler.quoteIdentifier(name)
  }

  createTable(node: CreateTableNode): string[] {
    const parts: string[] = []
    const inlinePk = node.primaryKey.length === 1 ? node.primaryKey[0] : undefined
    for (const column of node.columns) parts.push(this.columnDefinition(column, column.name === inlinePk))
    if (node.primaryKey.length > 1) parts.push(`PRIMARY KEY (${node.primaryKey.map((c) => this.q(c)).join(', ')})`)
    for (const idx of node.indexes) {
      const columns = idx.columns.map((c) => this.q(c)).join(', ')
      if (idx.unique) parts.push(`CONSTRAINT ${this.q(idx.name)} UNIQUE (${columns})`)
      else if (this.inlineIndexes) parts.push(`INDEX ${this.q(idx.name)} (${columns})`)
    }
    for (const fk of node.foreignKeys) parts.push(this.foreignKeyConstraint(fk))
    const head = `CREATE TABLE ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.q(node.name)}`
    const statements = [`${head} (\n  ${parts.join(',\n  ')}\n)${this.tableSuffix()}`]
    for (const idx of node.indexes) {
      if (!idx.unique && !this.inlineIndexes) statements.push(this.createIndex(node.name, idx, node.ifNotExists))
    }
    return statements
  }

  dropTable(node: DropTableNode): string {
    return `DROP TABLE ${node.ifExists ? 'IF EXISTS ' : ''}${this.q(node.name)}`
  }

  renameTable(node: RenameTableNode): string {
    return `ALTER TABLE ${this.q(node.from)} RENAME TO ${this.q(node.to)}`
  }

  /** The statements of one alterTable change. */
  protected alterAction(node: AlterTableNode, action: AlterActionNode): string[] {
    const alter = `ALTER TABLE ${this.q(node.name)}`
    switch (action.kind) {
      case 'AddColumn': {
        const statements = [`${alter} ADD COLUMN ${this.addedColumnDefinition(node.name, action.column, action.foreignKey)}`]
        // The foreign key after its index, so that MySQL uses ours instead of making one.
        for (const idx of action.indexes) statements.push(this.addIndex(node.name, idx))
        if (action.foreignKey && !this.foreignKeyOnAddColumn) statements.push(`${alter} ADD ${this.foreignKeyConstraint(action.foreignKey)}`)
        return statements
      }
      case 'DropColumn': return [`${alter} DROP COLUMN ${this.q(action.name)}`]
      case 'RenameColumn': return [`${alter} RENAME COLUMN ${this.q(action.from)} TO ${this.q(action.to)}`]
      case 'AddIndex': return [this.addIndex(node.name, action.index)]
      case 'DropIndex': return [this.dropIndex(node.name, action.name, action.unique)]
      case 'AddForeignKey': return [`${alter} ADD ${this.foreignKeyConstraint(action.foreignKey)}`]
      case 'DropForeignKey': return [this.dropForeignKey(node.name, action.name)]
    }
  }

  /**
   * A new column's foreign key is declared in its ADD COLUMN (`REFERENCES ...`) instead of with a separate
   * ADD CONSTRAINT: SQLite cannot add a constraint to an existing table.
   */
  protected readonly foreignKeyOnAddColumn: boolean = false

  /** The definition after ADD COLUMN; dialects check here what their ALTER TABLE cannot add. */
  protected addedColumnDefinition(_table: string, column: ColumnDefinitionNode, foreignKey?: ForeignKeyNode): string {
    const definition = this.columnDefinition(column, column.config.primaryKey === true)
    return foreignKey && this.foreignKeyOnAddColumn ? `${definition} CONSTRAINT ${this.q(foreignKey.name)} ${this.references(foreignKey)}` : definition
  }

  protected createIndex(table: string, idx: IndexNode, ifNotExists = false): string {
    const columns = idx.columns.map((c) => this.q(c)).join(', ')
    return `CREATE ${idx.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${this.q(idx.name)} ON ${this.q(table)} (${columns})`
  }

  /** An index added to an existing table; a unique one is a named UNIQUE constraint (SQLite: a unique index). */
  protected addIndex(table: string, idx: IndexNode): string {
    if (!idx.unique) return this.createIndex(table, idx)
    return `ALTER TABLE ${this.q(table)} ADD CONSTRAINT ${this.q(idx.name)} UNIQUE (${idx.columns.map((c) => this.q(c)).join(', ')})`
  }

  protected dropIndex(table: string, name: string, unique: boolean): string {
    return unique ? `ALTER TABLE ${this.q(table)} DROP CONSTRAINT ${this.q(name)}` : `DROP INDEX ${this.q(name)}`
  }

  protected dropForeignKey(table: string, name: string): string {
    return `ALTER TABLE ${this.q(table)} DROP CONSTRAINT ${this.q(name)}`
  }

  protected foreignKeyConstraint(fk: ForeignKeyNode): string {
    return `CONSTRAINT ${this.q(fk.name)} FOREIGN KEY (${fk.columns.map((c) => this.q(c)).join(', ')}) ${this.references(fk)}`
  }

  protected references(fk: ForeignKeyNode): string {
    let clause = `REFERENCES ${this.q(fk.table)} (${fk.references.map((c) => this.q(c)).join(', ')})`
    if (fk.onDelete) clause += ` ON DELETE ${this.referentialAction(fk.onDelete)}`
    if (fk.onUpdate) clause += ` ON UPDATE ${this.referentialAction(fk.onUpdate)}`
    return clause
  }

  /** A query that returns a row when the table exists (in the connection's current schema or database). */
  tableExists(table: string): SqlFragment {
    return sql`SELECT 1 AS found FROM information_schema.tables WHERE table_schema = ${this.currentSchema()} AND table_name = ${table}`
  }

  /** A query that returns a row when the table has the column. */
  columnExists(table: string, column: string): SqlFragment {
    return sql`SELECT 1 AS found FROM information_schema.columns WHERE table_schema = ${this.currentSchema()} AND table_name = ${table} AND column_name = ${column}`
  }

  /** The schema (PostgreSQL) or database (MySQL) that unqualified table names resolve in. */
  protected currentSchema(): SqlFragment {
    return sql`current_schema()`
  }

  protected columnDefinition(column: ColumnDefinitionNode, inlinePrimaryKey: boolean): string {
    const { config } = column
    if (config.autoIncrement) {
      if (!inlinePrimaryKey) {
        throw new SchemaError(`Column "${column.name}": an auto-increment column must be the table's only primary key.`)
      }
      return `${this.q(column.name)} ${this.autoIncrementColumn(column)}`
    }
    let sql = `${this.q(column.name)} ${this.columnType(column)}`
    if (inlinePrimaryKey) sql += ' PRIMARY KEY'
    if (!config.nullable && !inlinePrimaryKey) sql += ' NOT NULL'
    const def = this.defaultClause(column)
    if (def) sql += ` DEFAULT ${def}`
    if (config.unique && !inlinePrimaryKey) sql += ' UNIQUE'
    if (column.kind === 'enum' && config.values?.length) {
      sql += ` CHECK (${this.q(column.name)} IN (${config.values.map((v) => this.stringLiteral(v)).join(', ')}))`
    }
    return sql
  }

  protected defaultClause(column: ColumnDefinitionNode): string | undefined {
    const def = column.config.default
    if (!def || 'random' in def) return undefined
    if ('now' in def) return column.kind === 'date' ? this.currentDate() : this.currentTimestamp()
    return this.literal(def.value, column.kind)
  }

  /** A literal default value, escaped. */
  protected literal(value: unknown, kind: ColumnKind): string {
    if (value === null) return 'NULL'
    if (typeof value === 'object' && value !== null && 'node' in (value as object)) {
      const node = (value as { node: { parts: readonly string[]; values: readonly unknown[] } }).node
      if (node.values.length > 0) throw new SchemaError('A sql`` default cannot interpolate values: DDL has no bound parameters.')
      return `(${node.parts.join('')})`
    }
    switch (kind) {
      case 'boolean':
        return this.booleanLiteral(Boolean(value))
      case 'integer': case 'bigint': case 'float': case 'id':
        if (typeof value !== 'number' && typeof value !== 'bigint') throw new SchemaError(`Default ${String(value)} is not a number.`)
        if (typeof value === 'number' && !Number.isFinite(value)) throw new SchemaError('A numeric default must be finite.')
        return String(value)
      case 'json':
        return this.textDefault(this.stringLiteral(JSON.stringify(value)))
      case 'timestamp':
        return this.stringLiteral(value instanceof Date ? this.timestampLiteral(value) : String(value))
      case 'binary':
        if (!(value instanceof Uint8Array)) throw new SchemaError('A binary default must be a Uint8Array.')
        return this.textDefault(this.binaryLiteral(value))
      case 'date':
        return this.stringLiteral(value instanceof Date ? value.toISOString().slice(0, 10) : String(value))
      case 'text':
        return this.textDefault(this.stringLiteral(String(value)))
      default:
        return this.stringLiteral(String(value))
    }
  }

  stringLiteral(value: string): string {
    return "'" + value.replace(/'/g, "''") + "'"
  }

  /** Bytes as a literal: X'0aff' (PostgreSQL overrides it). */
  protected binaryLiteral(value: Uint8Array): string {
    return `X'${Buffer.from(value).toString('hex')}'`
  }

  protected booleanLiteral(value: boolean): string {
    return value ? '1' : '0'
  }

  /** A literal default on a TEXT/JSON/BLOB column (MySQL wants it as an expression). */
  protected textDefault(literal: string): string {
    return literal
  }

  protected timestampLiteral(value: Date): string {
    return value.toISOString()
  }

  protected currentTimestamp(): string {
    return 'CURRENT_TIMESTAMP'
  }

  protected currentDate(): string {
    return 'CURRENT_DATE'
  }

  protected referentialAction(action: string): string {
    return action.toUpperCase()
  }

  protected tableSuffix(): string {
    return ''
  }
}
