import { SchemaError } from '../errors.js'
import type { AnyTable, TableMeta } from './table.js'

/** Every table of the schema by its key (`db.<key>`), and by database name. */
export interface SchemaMeta {
  readonly tables: ReadonlyMap<string, TableMeta>
  readonly keyByName: ReadonlyMap<string, string>
}

/** The relation definitions: a record per table key. Resolved by the relation layer. */
export type RelationsInput = Record<string, Record<string, unknown>>

export interface Schema<T extends Record<string, AnyTable> = Record<string, AnyTable>, R = {}> {
  readonly tables: T
  readonly relations: R
  readonly meta: SchemaMeta
}

export type AnySchema = Schema<Record<string, AnyTable>, any>

/**
 * Collects the tables (and, from the relations issue on, their relations) into one schema.
 * Foreign key targets are checked here, once, so that a typo fails at startup and not at query time.
 */
export function defineSchema<const T extends Record<string, AnyTable>, R extends RelationsInput = {}>(
  tables: T,
  relations?: (r: unknown) => R,
): Schema<T, R> {
  const metas = new Map<string, TableMeta>()
  const keyByName = new Map<string, string>()
  for (const [key, def] of Object.entries(tables)) {
    if (!def || typeof def !== 'object' || !('$meta' in def)) {
      throw new SchemaError(`defineSchema: "${key}" is not a table (define it with table('name', { ... })).`)
    }
    const meta = def.$meta
    if (keyByName.has(meta.name)) {
      throw new SchemaError(`defineSchema: table "${meta.name}" is given twice (keys "${keyByName.get(meta.name)}" and "${key}").`)
    }
    metas.set(key, meta)
    keyByName.set(meta.name, key)
  }
  for (const [key, meta] of metas) {
    for (const column of meta.columns) {
      const ref = column.config.references
      if (!ref) continue
      const target = ref.target()
      if (!target || !keyByName.has(target.table.$name)) {
        throw new SchemaError(
          `Table "${meta.name}" (key "${key}"), column "${column.prop}": references a table that is not in the schema. ` +
            `Tables: ${[...keyByName.keys()].join(', ')}.`,
        )
      }
    }
  }
  const rels = relations ? relations(undefined) : ({} as R)
  return Object.freeze({ tables, relations: rels, meta: { tables: metas, keyByName } })
}
