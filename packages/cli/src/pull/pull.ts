import { DbCore, type Dialect, type IntrospectedTable } from '@orm/core'
import { CliError } from '../errors.js'
import { buildSchema, type PulledSchema } from './model.js'
import { renderSchema } from './render.js'

export interface PullOptions {
  /** Only tables whose names match one of these (`*` matches any run of characters). Default: every table. */
  tables?: readonly string[]
  /** Tables to leave out (same patterns); the migrations table is always left out. */
  exclude?: readonly string[]
  /** The migrations table, left out of the schema. Default `orm_migrations`. */
  migrationsTable?: string
}

export interface PullResult {
  /** The TypeScript source of the schema module. */
  readonly source: string
  readonly schema: PulledSchema
  readonly tables: readonly IntrospectedTable[]
}

/** Reads the database's tables with the dialect's introspector. */
export async function introspect(dialect: Dialect): Promise<IntrospectedTable[]> {
  const introspector = dialect.introspector
  if (!introspector) throw new CliError(`The ${dialect.name} dialect has no introspector, so orm pull cannot read its database.`)
  const core = new DbCore(dialect)
  try {
    const connection = await core.acquire()
    try {
      return await introspector.tables(connection)
    } catch (error) {
      throw core.mapError(error)
    } finally {
      connection.release()
    }
  } finally {
    await core.close().catch(() => {})
  }
}

/** A name pattern: `*` is any run of characters, the rest matches itself, case-sensitively. */
export function matcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map((p) => new RegExp('^' + p.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$'))
  return (name) => res.some((re) => re.test(name))
}

/** Introspects the database and writes the schema module: tables, columns, keys and the relations foreign keys imply. */
export async function pull(dialect: Dialect, options: PullOptions = {}): Promise<PullResult> {
  const all = await introspect(dialect)
  return pullFrom(all, options, dialect.name)
}

/** `pull` on tables already introspected. */
export function pullFrom(all: readonly IntrospectedTable[], options: PullOptions = {}, source?: string): PullResult {
  const include = options.tables?.length ? matcher(options.tables) : () => true
  const exclude = matcher([...(options.exclude ?? []), options.migrationsTable ?? 'orm_migrations'])
  const tables = all.filter((t) => include(t.name) && !exclude(t.name))
  const schema = buildSchema(tables)
  return { source: renderSchema(schema, { source }), schema, tables }
}
