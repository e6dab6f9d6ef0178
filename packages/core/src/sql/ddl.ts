/** The DDL AST: what `db.schema` creates and drops, built from table definitions or the createTable blueprint. */
import type { ColumnConfig, ColumnKind, ReferentialAction } from '../schema/columns.js'

export interface ColumnDefinitionNode {
  readonly name: string
  readonly kind: ColumnKind
  readonly config: ColumnConfig
}

export interface ForeignKeyNode {
  readonly name: string
  readonly columns: readonly string[]
  readonly table: string
  readonly references: readonly string[]
  readonly onDelete?: ReferentialAction
  readonly onUpdate?: ReferentialAction
}

export interface IndexNode {
  readonly name: string
  readonly columns: readonly string[]
  readonly unique: boolean
}

export interface CreateTableNode {
  readonly kind: 'CreateTable'
  readonly name: string
  readonly columns: readonly ColumnDefinitionNode[]
  readonly primaryKey: readonly string[]
  readonly foreignKeys: readonly ForeignKeyNode[]
  /** Unique constraints and plain indexes; plain ones become CREATE INDEX statements. */
  readonly indexes: readonly IndexNode[]
  readonly ifNotExists?: boolean
}

export interface DropTableNode {
  readonly kind: 'DropTable'
  readonly name: string
  readonly ifExists?: boolean
}

export type DdlNode = CreateTableNode | DropTableNode

/** A constraint or index name that fits every database's identifier limit (PostgreSQL truncates past 63 bytes). */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  const name = `${table}_${columns.join('_')}_${suffix}`
  if (name.length <= 60) return name
  let hash = 5381
  for (let i = 0; i < name.length; i++) hash = ((hash * 33) ^ name.charCodeAt(i)) >>> 0
  return `${name.slice(0, 50)}_${hash.toString(36)}`
}
