import { SchemaError } from '../errors.js'
import { col, type Column, type ReferentialAction } from '../schema/columns.js'
import { plural, snakeCase } from '../schema/naming.js'
import { constraintName, type CreateTableNode, type ForeignKeyNode, type IndexNode } from '../sql/ddl.js'

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

/**
 * The `createTable(name, (t) => ...)` builder (Laravel's Blueprint). Names are property names or column
 * names; either way the column is the snake_case one, as in table definitions.
 */
export class Blueprint {
  private readonly columns: ColumnBlueprint[] = []
  private primaryKey?: string[]
  private readonly indexes: IndexNode[] = []

  constructor(
    readonly table: string,
    readonly resolveTable: (name: string) => string = (name) => name,
  ) {}

  private add<C extends ColumnBlueprint>(blueprint: C): C {
    if (this.columns.some((c) => c.name === blueprint.name)) {
      throw new SchemaError(`createTable("${this.table}"): column "${blueprint.name}" is declared twice.`)
    }
    this.columns.push(blueprint)
    return blueprint
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
    this.primaryKey = columns.map(snakeCase)
  }
  index(columns: readonly string[], name?: string): void {
    const cols = columns.map(snakeCase)
    this.indexes.push({ name: name ?? constraintName(this.table, cols, 'index'), columns: cols, unique: false })
  }
  unique(columns: readonly string[], name?: string): void {
    const cols = columns.map(snakeCase)
    this.indexes.push({ name: name ?? constraintName(this.table, cols, 'unique'), columns: cols, unique: true })
  }

  /** The CREATE TABLE node this blueprint describes. */
  toNode(): CreateTableNode {
    const names = new Set(this.columns.map((c) => c.name))
    const declaredPk = this.columns.filter((c) => c.column.config.primaryKey).map((c) => c.name)
    const primaryKey = this.primaryKey ?? declaredPk
    for (const name of primaryKey) {
      if (!names.has(name)) throw new SchemaError(`createTable("${this.table}"): primary key column "${name}" is not declared.`)
    }
    const indexes = [...this.indexes]
    for (const idx of indexes) {
      for (const c of idx.columns) {
        if (!names.has(c)) throw new SchemaError(`createTable("${this.table}"): index column "${c}" is not declared.`)
      }
    }
    const foreignKeys: ForeignKeyNode[] = []
    for (const c of this.columns) {
      if (c.column.config.index && !c.column.config.unique) {
        indexes.push({ name: constraintName(this.table, [c.name], 'index'), columns: [c.name], unique: false })
      }
      if (!(c instanceof ForeignIdBlueprint) || !c.foreign) continue
      if (!c.foreign.table) throw new SchemaError(`createTable("${this.table}"): foreign key "${c.name}" names no table.`)
      foreignKeys.push({
        name: constraintName(this.table, [c.name], 'foreign'),
        columns: [c.name],
        table: c.foreign.table,
        references: [c.foreign.column],
        onDelete: c.foreign.onDelete,
        onUpdate: c.foreign.onUpdate,
      })
      const covered = primaryKey[0] === c.name || c.column.config.unique || indexes.some((i) => i.columns[0] === c.name)
      if (!covered) indexes.push({ name: constraintName(this.table, [c.name], 'index'), columns: [c.name], unique: false })
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
