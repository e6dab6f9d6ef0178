import { SchemaError } from '../errors.js'
import type { ColumnKind } from '../schema/columns.js'
import type { SqlCompiler } from './compiler.js'
import type { ColumnDefinitionNode, CreateTableNode, DdlNode, DropTableNode } from './ddl.js'

/**
 * Compiles DDL nodes to statements. Dialects override `columnType`, the default-value hooks and the
 * auto-increment clause. DDL cannot bind parameters, so literal defaults are escaped here as literals.
 */
export abstract class DdlCompiler {
  constructor(readonly compiler: SqlCompiler) {}

  /** Plain indexes go inside CREATE TABLE (MySQL, which has no CREATE INDEX IF NOT EXISTS) instead of after it. */
  protected readonly inlineIndexes: boolean = false

  compile(node: DdlNode): string[] {
    return node.kind === 'CreateTable' ? this.createTable(node) : [this.dropTable(node)]
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
    for (const fk of node.foreignKeys) {
      let clause = `CONSTRAINT ${this.q(fk.name)} FOREIGN KEY (${fk.columns.map((c) => this.q(c)).join(', ')}) ` +
        `REFERENCES ${this.q(fk.table)} (${fk.references.map((c) => this.q(c)).join(', ')})`
      if (fk.onDelete) clause += ` ON DELETE ${this.referentialAction(fk.onDelete)}`
      if (fk.onUpdate) clause += ` ON UPDATE ${this.referentialAction(fk.onUpdate)}`
      parts.push(clause)
    }
    const head = `CREATE TABLE ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.q(node.name)}`
    const statements = [`${head} (\n  ${parts.join(',\n  ')}\n)${this.tableSuffix()}`]
    for (const idx of node.indexes) {
      if (idx.unique || this.inlineIndexes) continue
      const columns = idx.columns.map((c) => this.q(c)).join(', ')
      statements.push(`CREATE INDEX ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.q(idx.name)} ON ${this.q(node.name)} (${columns})`)
    }
    return statements
  }

  dropTable(node: DropTableNode): string {
    return `DROP TABLE ${node.ifExists ? 'IF EXISTS ' : ''}${this.q(node.name)}`
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
