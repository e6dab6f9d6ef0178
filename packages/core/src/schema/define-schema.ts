import { SchemaError } from '../errors.js'
import { relationBuilder, type AnyRelationDef, type RelationBuilder } from './relations.js'
import type { ResolvedRelation } from './resolved-relation.js'
import { resolveRelations } from './resolve-relations.js'
import type { AnyTable, TableMeta } from './table.js'

/** Every table of the schema by its key (`db.<key>`), and by database name, with its resolved relations. */
export interface SchemaMeta {
  readonly tables: ReadonlyMap<string, TableMeta>
  readonly keyByName: ReadonlyMap<string, string>
  /** Table key -> relation name -> the relation with its key columns resolved. Every table key has an entry. */
  readonly relations: ReadonlyMap<string, ReadonlyMap<string, ResolvedRelation>>
  /** Pivot tables named only by relations (not defined with table()), by table name; db.schema.create() makes them. */
  readonly virtualTables: ReadonlyMap<string, TableMeta>
}

/** The relation definitions: a record of relations per table key. */
export type RelationsInput = Record<string, Record<string, AnyRelationDef>>

/** A key of R that is not a table key is a compile error (the runtime check names it too). */
type OnlyTableKeys<T, R> = { [K in Exclude<keyof R, keyof T>]: never }

export interface Schema<T extends Record<string, AnyTable> = Record<string, AnyTable>, R = {}> {
  readonly tables: T
  readonly relations: R
  readonly meta: SchemaMeta
}

export type AnySchema = Schema<Record<string, AnyTable>, any>

/**
 * Collects the tables and their relations into one schema. Foreign key targets and every relation's keys are
 * checked and resolved here, once, so that a typo fails at startup and not at query time.
 */
export function defineSchema<const T extends Record<string, AnyTable>, R extends RelationsInput = {}>(
  tables: T,
  relations?: (r: RelationBuilder<Extract<keyof T, string>>) => R & OnlyTableKeys<T, R>,
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
  const rels = relations ? relations(relationBuilder) : ({} as R)
  const resolved = resolveRelations(metas, keyByName, rels)
  return Object.freeze({ tables, relations: rels, meta: { tables: metas, keyByName, ...resolved } })
}
