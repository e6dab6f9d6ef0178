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

/** `ALTER TABLE ... RENAME TO ...`. */
export interface RenameTableNode {
  readonly kind: 'RenameTable'
  readonly from: string
  readonly to: string
}

/** One change of `alterTable`, in the order the blueprint declared it. */
export type AlterActionNode =
  | {
    readonly kind: 'AddColumn'
    readonly column: ColumnDefinitionNode
    readonly foreignKey?: ForeignKeyNode
    /** Its `.index()`, `.unique()` and a foreign key's index, added after the column. */
    readonly indexes: readonly IndexNode[]
  }
  | { readonly kind: 'DropColumn'; readonly name: string }
  | { readonly kind: 'RenameColumn'; readonly from: string; readonly to: string }
  | { readonly kind: 'AddIndex'; readonly index: IndexNode }
  | { readonly kind: 'DropIndex'; readonly name: string; readonly unique: boolean }
  | { readonly kind: 'AddForeignKey'; readonly foreignKey: ForeignKeyNode }
  | { readonly kind: 'DropForeignKey'; readonly name: string }

/**
 * `alterTable(name, (t) => ...)`: the changes to an existing table. Each action compiles to its own statements;
 * the dialect's DDL compiler decides how (SQLite declares a new column's foreign key inline, for instance).
 */
export interface AlterTableNode {
  readonly kind: 'AlterTable'
  readonly name: string
  readonly actions: readonly AlterActionNode[]
}

export type DdlNode = CreateTableNode | DropTableNode | AlterTableNode | RenameTableNode

/** A constraint or index name that fits every database's identifier limit (PostgreSQL truncates past 63 bytes). */
export function constraintName(table: string, columns: readonly string[], suffix: string): string {
  const name = `${table}_${columns.join('_')}_${suffix}`
  if (name.length <= 60) return name
  let hash = 5381
  for (let i = 0; i < name.length; i++) hash = ((hash * 33) ^ name.charCodeAt(i)) >>> 0
  return `${name.slice(0, 50)}_${hash.toString(36)}`
}
