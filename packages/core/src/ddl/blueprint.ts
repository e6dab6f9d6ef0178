import { SchemaError } from '../errors.js'
import { col, type Column, type ReferentialAction } from '../schema/columns.js'
import { plural, snakeCase } from '../schema/naming.js'
import {
  constraintName, type AlterActionNode, type AlterTableNode, type CreateTableNode, type ForeignKeyNode, type IndexNode,
} from '../sql/ddl.js'

/** A column being declared in `createTable`; its modifiers change it in place (unlike schema columns). */
export class ColumnBlueprint {
  constructor(
    protected readonly owner: Blueprint,
    readonly name: string,
    public column: Column<any, boolean, boolean>,
  ) {}
  nullable(): this {
    this.column = this.column.nullable()
    return this
  }
  default(value: unknown): this {
    this.column = this.column.default(value)
    return this
  }
  defaultNow(): this {
    this.column = this.column.defaultNow()
    return this
  }
  unique(): this {
    this.column = this.column.unique()
    return this
  }
  index(): this {
    this.column = this.column.index()
    return this
  }
  primary(): this {
    this.column = this.column.primaryKey()
    return this
  }
}

/** `t.foreignId('postId').constrained().onDelete('cascade')`: a bigint column with a foreign key. */
export class ForeignIdBlueprint extends ColumnBlueprint {
  foreign?: { table: string; column: string; onDelete?: ReferentialAction; onUpdate?: ReferentialAction }

  /** References `table.column`; the table defaults to the plural of the name without `Id` (postId -> posts). */
  constrained(table?: string, column = 'id'): this {
    const base = this.name.replace(/_id$/, '')
    if (!table && base === this.name) {
      throw new SchemaError(`foreignId("${this.name}").constrained(): cannot infer the table; name it: constrained('posts').`)
    }
    this.foreign = { table: this.owner.resolveTable(table ?? plural(base)), column: snakeCase(column) }
    return this
  }
  references(column: string): this {
    this.foreign = { table: this.foreign?.table ?? '', column: snakeCase(column) }
    return this
  }
  on(table: string): this {
    if (!this.foreign) this.foreign = { table, column: 'id' }
    else this.foreign.table = table
    return this
  }
  onDelete(action: ReferentialAction): this {
    if (!this.foreign) throw new SchemaError(`foreignId("${this.name}"): call constrained() before onDelete().`)
    this.foreign.onDelete = action
    return this
  }
  onUpdate(action: ReferentialAction): this {
    if (!this.foreign) throw new SchemaError(`foreignId("${this.name}"): call constrained() before onUpdate().`)
    this.foreign.onUpdate = action
    return this
  }
}

/** An index or constraint named by its name, or by its columns (then the name the ORM gives it). */
export type IndexTarget = string | readonly string[]

/**
 * The `createTable(name, (t) => ...)` and `alterTable(name, (t) => ...)` builder (Laravel's Blueprint). Names
 * are property names or column names; either way the column is the snake_case one, as in table definitions.
 */
export class Blueprint {
  private readonly columns: ColumnBlueprint[] = []
  private primaryKey?: string[]
  private readonly indexes: IndexNode[] = []
  /** alterTable: every change in the order declared (new columns are resolved at the end, after their modifiers). */
  private readonly changes: (ColumnBlueprint | AlterActionNode)[] = []

  constructor(
    readonly table: string,
    readonly resolveTable: (name: string) => string = (name) => name,
    readonly mode: 'create' | 'alter' = 'create',
  ) {}

  private get label(): string {
    return `${this.mode === 'create' ? 'createTable' : 'alterTable'}("${this.table}")`
  }

  private add<C extends ColumnBlueprint>(blueprint: C): C {
    if (this.columns.some((c) => c.name === blueprint.name)) {
      throw new SchemaError(`${this.label}: column "${blueprint.name}" is declared twice.`)
    }
    this.columns.push(blueprint)
    this.changes.push(blueprint)
    return blueprint
  }

  private change(action: AlterActionNode): void {
    if (this.mode === 'create') throw new SchemaError(`${this.label}: ${action.kind} is for alterTable, not createTable.`)
    this.changes.push(action)
  }
  private column(name: string, column: Column<any, boolean, boolean>): ColumnBlueprint {
    return this.add(new ColumnBlueprint(this, snakeCase(name), column))
  }

  id(name = 'id'): ColumnBlueprint {
    return this.column(name, col.id())
  }
  integer(name: string) {
    return this.column(name, col.integer())
  }
  bigint(name: string) {
    return this.column(name, col.bigint())
  }
  float(name: string) {
    return this.column(name, col.float())
  }
  decimal(name: string, precision = 18, scale = 2) {
    return this.column(name, col.decimal({ precision, scale }))
  }
  string(name: string, length = 255) {
    return this.column(name, col.string({ length }))
  }
  text(name: string) {
    return this.column(name, col.text())
  }
  boolean(name: string) {
    return this.column(name, col.boolean())
  }
  timestamp(name: string) {
    return this.column(name, col.timestamp())
  }
  date(name: string) {
    return this.column(name, col.date())
  }
  json(name: string) {
    return this.column(name, col.json())
  }
  uuid(name: string) {
    return this.column(name, col.uuid())
  }
  binary(name: string) {
    return this.column(name, col.binary())
  }
  enum(name: string, values: readonly string[]) {
    return this.column(name, col.enum(values))
  }
  /** created_at and updated_at. */
  timestamps(): void {
    this.column('createdAt', col.timestamp().defaultNow())
    this.column('updatedAt', col.timestamp().defaultNow())
  }
  /** A nullable deleted_at for soft deletes. */
  softDeletes(name = 'deletedAt'): ColumnBlueprint {
    return this.column(name, col.timestamp().nullable())
  }
  foreignId(name: string): ForeignIdBlueprint {
    return this.add(new ForeignIdBlueprint(this, snakeCase(name), col.bigint()))
  }
  primary(columns: readonly string[]): void {
    if (this.mode === 'alter') throw new SchemaError(`${this.label}: the primary key cannot be changed; make a new table.`)
    this.primaryKey = columns.map(snakeCase)
  }
  index(columns: readonly string[], name?: string): void {
    this.addIndex(columns, name, false)
  }
  unique(columns: readonly string[], name?: string): void {
    this.addIndex(columns, name, true)
  }
  private addIndex(columns: readonly string[], name: string | undefined, unique: boolean): void {
    const cols = columns.map(snakeCase)
    const index = { name: name ?? constraintName(this.table, cols, unique ? 'unique' : 'index'), columns: cols, unique }
    if (this.mode === 'create') this.indexes.push(index)
    else this.changes.push({ kind: 'AddIndex', index })
  }

  /** alterTable: drops columns (their indexes go with them; drop a column's foreign key first with dropForeign). */
  dropColumn(...names: (string | readonly string[])[]): void {
    for (const name of names.flat()) this.change({ kind: 'DropColumn', name: snakeCase(name) })
  }
  /** alterTable: renames a column; its data, indexes and foreign keys stay. */
  renameColumn(from: string, to: string): void {
    this.change({ kind: 'RenameColumn', from: snakeCase(from), to: snakeCase(to) })
  }
  /** alterTable: drops a plain index, by name or by the columns `index([...])` / `.index()` named it after. */
  dropIndex(target: IndexTarget): void {
    this.change({ kind: 'DropIndex', name: this.targetName(target, 'index'), unique: false })
  }
  /** alterTable: drops a unique constraint made by `unique([...])` or alterTable's `.unique()`, by name or columns. */
  dropUnique(target: IndexTarget): void {
    this.change({ kind: 'DropIndex', name: this.targetName(target, 'unique'), unique: true })
  }
  /** alterTable: drops a foreign key, by name or by its columns (`<table>_<column>_foreign`). Not on SQLite. */
  dropForeign(target: IndexTarget): void {
    this.change({ kind: 'DropForeignKey', name: this.targetName(target, 'foreign') })
  }
  private targetName(target: IndexTarget, suffix: string): string {
    return typeof target === 'string' ? target : constraintName(this.table, target.map(snakeCase), suffix)
  }

  /** The foreign key a foreign id declares, and whether an index must be added for it. */
  private foreignKey(c: ColumnBlueprint): ForeignKeyNode | undefined {
    if (!(c instanceof ForeignIdBlueprint) || !c.foreign) return undefined
    if (!c.foreign.table) throw new SchemaError(`${this.label}: foreign key "${c.name}" names no table.`)
    return {
      name: constraintName(this.table, [c.name], 'foreign'),
      columns: [c.name],
      table: c.foreign.table,
      references: [c.foreign.column],
      onDelete: c.foreign.onDelete,
      onUpdate: c.foreign.onUpdate,
    }
  }

  private columnIndex(c: ColumnBlueprint): IndexNode {
    return { name: constraintName(this.table, [c.name], 'index'), columns: [c.name], unique: false }
  }

  /** The ALTER TABLE node this blueprint describes, its changes in the order declared. */
  toAlterNode(): AlterTableNode {
    const actions = this.changes.map((change): AlterActionNode => {
      if (!(change instanceof ColumnBlueprint)) return change
      const { config } = change.column
      const indexes: IndexNode[] = []
      // A unique column becomes a named unique index after it: SQLite cannot ADD COLUMN ... UNIQUE.
      if (config.unique) indexes.push({ name: constraintName(this.table, [change.name], 'unique'), columns: [change.name], unique: true })
      const foreignKey = this.foreignKey(change)
      if (!config.unique && (config.index || foreignKey)) indexes.push(this.columnIndex(change))
      return {
        kind: 'AddColumn',
        column: { name: change.name, kind: config.kind, config: { ...config, unique: false, index: false } },
        foreignKey,
        indexes,
      }
    })
    return { kind: 'AlterTable', name: this.table, actions }
  }

  /** The CREATE TABLE node this blueprint describes. */
  toNode(): CreateTableNode {
    const names = new Set(this.columns.map((c) => c.name))
    const declaredPk = this.columns.filter((c) => c.column.config.primaryKey).map((c) => c.name)
    const primaryKey = this.primaryKey ?? declaredPk
    for (const name of primaryKey) {
      if (!names.has(name)) throw new SchemaError(`${this.label}: primary key column "${name}" is not declared.`)
    }
    const indexes = [...this.indexes]
    for (const idx of indexes) {
      for (const c of idx.columns) {
        if (!names.has(c)) throw new SchemaError(`${this.label}: index column "${c}" is not declared.`)
      }
    }
    const foreignKeys: ForeignKeyNode[] = []
    for (const c of this.columns) {
      if (c.column.config.index && !c.column.config.unique) indexes.push(this.columnIndex(c))
      const foreignKey = this.foreignKey(c)
      if (!foreignKey) continue
      foreignKeys.push(foreignKey)
      const covered = primaryKey[0] === c.name || c.column.config.unique || indexes.some((i) => i.columns[0] === c.name)
      if (!covered) indexes.push(this.columnIndex(c))
    }
    return {
      kind: 'CreateTable',
      name: this.table,
      columns: this.columns.map((c) => ({
        name: c.name,
        kind: c.column.config.kind,
        config: primaryKey.length > 1 && c.column.config.primaryKey ? { ...c.column.config, primaryKey: false } : c.column.config,
      })),
      primaryKey,
      foreignKeys,
      indexes,
    }
  }
}
