import { SchemaError } from '../errors.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { TableMeta } from '../schema/table.js'
import { constraintName, type CreateTableNode, type ForeignKeyNode, type IndexNode } from '../sql/ddl.js'

/** The CREATE TABLE node of a table definition: columns, keys, uniques, indexes and foreign keys (each indexed). */
export function createTableNode(
  meta: TableMeta,
  options: { ifNotExists?: boolean } = {},
  extraIndexes: readonly (readonly string[])[] = [],
): CreateTableNode {
  const name = (prop: string) => meta.byProp.get(prop)!.name
  const primaryKey = meta.primaryKey.map(name)
  const indexes: IndexNode[] = []
  for (const columns of extraIndexes) {
    if (!indexes.some((i) => i.columns.join() === columns.join())) {
      indexes.push({ name: constraintName(meta.name, columns, 'index'), columns, unique: false })
    }
  }
  for (const idx of meta.indexes) {
    const columns = idx.columns.map(name)
    indexes.push({ name: idx.name ?? constraintName(meta.name, columns, idx.unique ? 'unique' : 'index'), columns, unique: idx.unique })
  }
  for (const column of meta.columns) {
    if (column.config.index && !column.config.unique) {
      indexes.push({ name: constraintName(meta.name, [column.name], 'index'), columns: [column.name], unique: false })
    }
  }
  const foreignKeys: ForeignKeyNode[] = []
  for (const column of meta.columns) {
    const ref = column.config.references
    if (!ref) continue
    const target = ref.target()
    foreignKeys.push({
      name: constraintName(meta.name, [column.name], 'foreign'),
      columns: [column.name],
      table: target.table.$name,
      references: [(target as { name?: string }).name ?? target.prop],
      onDelete: ref.onDelete,
      onUpdate: ref.onUpdate,
    })
    const covered =
      primaryKey[0] === column.name || column.config.unique || indexes.some((i) => i.columns[0] === column.name)
    if (!covered) indexes.push({ name: constraintName(meta.name, [column.name], 'index'), columns: [column.name], unique: false })
  }
  return {
    kind: 'CreateTable',
    name: meta.name,
    columns: meta.columns.map((c) => ({ name: c.name, kind: c.kind, config: c.config })),
    primaryKey,
    foreignKeys,
    indexes,
    ifNotExists: options.ifNotExists,
  }
}

/** Tables ordered so that every table comes after the tables its foreign keys reference. */
export function tablesInForeignKeyOrder(schema: AnySchema): TableMeta[] {
  const metas = [...schema.meta.tables.values(), ...(schema.meta.virtualTables?.values() ?? [])]
  const byName = new Map(metas.map((m) => [m.name, m]))
  const done = new Set<string>()
  const visiting: string[] = []
  const order: TableMeta[] = []
  const visit = (meta: TableMeta) => {
    if (done.has(meta.name)) return
    if (visiting.includes(meta.name)) {
      throw new SchemaError(`Foreign keys form a cycle: ${[...visiting.slice(visiting.indexOf(meta.name)), meta.name].join(' -> ')}.`)
    }
    visiting.push(meta.name)
    for (const column of meta.columns) {
      const ref = column.config.references
      if (!ref) continue
      const target = byName.get(ref.target().table.$name)
      if (target && target !== meta) visit(target)
    }
    visiting.pop()
    done.add(meta.name)
    order.push(meta)
  }
  metas.forEach(visit)
  return order
}

/** Polymorphic lookups read `<morph>Type` and `<morph>Id` together: each pair gets an index on its table. */
export function morphIndexes(schema: AnySchema): Map<string, string[][]> {
  const out = new Map<string, string[][]>()
  const add = (table: string, columns: string[]) => {
    const list = out.get(table) ?? []
    if (!list.some((c) => c.join() === columns.join())) list.push(columns)
    out.set(table, list)
  }
  for (const [key, relations] of schema.meta.relations ?? []) {
    for (const rel of relations.values()) {
      if (rel.kind === 'morphOne' || rel.kind === 'morphMany') {
        add(schema.meta.tables.get(rel.target)!.name, [rel.morphType.name, ...rel.foreignKey.map((c) => c.name)])
      } else if (rel.kind === 'morphTo') {
        add(schema.meta.tables.get(key)!.name, [rel.morphType.name, ...rel.foreignKey.map((c) => c.name)])
      }
    }
  }
  return out
}
