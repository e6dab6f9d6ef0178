import { col, Column, type AnyColumn } from './columns.js'
import type { PivotTable } from './resolved-relation.js'
import { table, type ColumnMeta, type TableMeta } from './table.js'

/** The tables relations resolve against, plus the virtual pivots made so far (shared by every relation naming one). */
export interface SchemaTables {
  readonly tables: ReadonlyMap<string, TableMeta>
  readonly keyByName: ReadonlyMap<string, string>
  readonly virtualTables: Map<string, TableMeta>
}

/** A column a virtual pivot needs: typed like the key it holds, a foreign key to it unless polymorphic. */
export interface PivotColumnSpec {
  readonly prop: string
  /** The key column this one stores; undefined: a bigint. */
  readonly like?: ColumnMeta
  /** The table `like` belongs to, for the foreign key; undefined for a polymorphic id. */
  readonly references?: TableMeta
  /** The `<morph>Type` column: a string. */
  readonly morphType?: boolean
}

/**
 * The pivot named `name`: a schema table key, else a schema table name, else a virtual table, made on first use
 * from `specs()` with a primary key over all its columns (one row per link). A later relation naming the same
 * virtual pivot reuses it, and its own key lookups report any column the first one did not make.
 */
export function pivotTable(schema: SchemaTables, name: string, specs: () => readonly PivotColumnSpec[]): PivotTable {
  const key = schema.tables.has(name) ? name : schema.keyByName.get(name)
  if (key !== undefined) return { table: key, meta: schema.tables.get(key)!, virtual: false }
  let meta = schema.virtualTables.get(name)
  if (!meta) {
    meta = virtualTable(name, specs())
    schema.virtualTables.set(name, meta)
  }
  return { table: name, meta, virtual: true }
}

function virtualTable(name: string, specs: readonly PivotColumnSpec[]): TableMeta {
  const columns: Record<string, AnyColumn> = {}
  for (const spec of specs) columns[spec.prop] ??= pivotColumn(spec)
  return table(name, columns, { primaryKey: Object.keys(columns) }).$meta
}

function pivotColumn(spec: PivotColumnSpec): AnyColumn {
  if (spec.morphType) return col.string()
  const like = spec.like
  // An id is a BIGINT; any other key is copied exactly (MySQL refuses a foreign key between INT and BIGINT).
  const column: AnyColumn =
    !like || like.kind === 'id'
      ? col.bigint({ mode: like?.config.mode ?? 'number' })
      : new Column({
          kind: like.kind, length: like.config.length, precision: like.config.precision, scale: like.config.scale,
          values: like.config.values, mode: like.config.mode,
          nullable: false, primaryKey: false, autoIncrement: false, unique: false, index: false,
        })
  const owner = spec.references
  if (!owner || !like) return column
  // `name` lets the DDL reference the database column, not the property.
  const target = { table: { $name: owner.name }, prop: like.prop, name: like.name }
  return column.references(() => target, { onDelete: 'cascade' })
}
