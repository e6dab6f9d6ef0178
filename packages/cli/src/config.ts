import { existsSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve } from 'node:path'
import type { AnySchema, Dialect } from '@orm/core'
import { createJiti } from 'jiti'
import { CliError, firstLine } from './errors.js'

/** What `orm.config.ts` exports (default export). */
export interface OrmConfig {
  /** The application's schema (from defineSchema). Migrations get a db made with it, so `db.users` works there. */
  schema?: AnySchema
  /** A dialect instance: `sqlite({ filename })`, `pg({ connectionString })`, `mysql({ uri })`. */
  dialect: Dialect
  migrations?: {
    /** The folder of migration files, relative to the config file. Default: `migrations`. */
    dir?: string
    /** The table that records which migrations ran. Default: `orm_migrations`. */
    table?: string
  }
  pull?: {
    /** Where `orm pull` writes the schema, relative to the config file. Default: `schema.ts`. */
    out?: string
  }
}

/** Types the config: `export default defineConfig({ dialect: sqlite({ filename: 'app.db' }) })`. */
export function defineConfig(config: OrmConfig): OrmConfig
export function defineConfig(config: () => OrmConfig | Promise<OrmConfig>): () => OrmConfig | Promise<OrmConfig>
export function defineConfig(config: OrmConfig | (() => OrmConfig | Promise<OrmConfig>)) {
  return config
}

/** A loaded config with its paths resolved. */
export interface ResolvedConfig {
  readonly config: OrmConfig
  /** The config file. */
  readonly file: string
  /** The folder of the config file; relative paths in it start here. */
  readonly root: string
  readonly migrationsDir: string
  readonly migrationsTable: string
  readonly pullOut: string
}

export const CONFIG_FILES = ['orm.config.ts', 'orm.config.mts', 'orm.config.cts', 'orm.config.js', 'orm.config.mjs', 'orm.config.cjs']

/** The config file to load: the one given, else the first of CONFIG_FILES in `cwd`. */
export function findConfig(cwd: string, file?: string): string {
  if (file) {
    const path = resolve(cwd, file)
    if (!existsSync(path)) throw new CliError(`Config file not found: ${path}`, { code: 'CONFIG_NOT_FOUND' })
    return path
  }
  for (const name of CONFIG_FILES) {
    const path = resolve(cwd, name)
    if (existsSync(path)) return path
  }
  throw new CliError(
    `No orm.config.ts in ${cwd}. Create one (see docs/migrations.md), or pass --config <file>.`,
    { code: 'CONFIG_NOT_FOUND' },
  )
}

/** Loads TypeScript and JavaScript modules (the config, migration files) with jiti. */
export function moduleLoader(root: string): (path: string) => Promise<Record<string, unknown>> {
  const jiti = createJiti(resolve(root, 'orm.config.ts'), { interopDefault: false, moduleCache: false, fsCache: false })
  return async (path) => (await jiti.import(path)) as Record<string, unknown>
}

/** Finds, loads and checks `orm.config.ts`. Every problem is a CliError with a one-line message. */
export async function loadConfig(options: { cwd?: string; file?: string } = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd()
  const file = findConfig(cwd, options.file)
  const root = dirname(file)
  const shown = relative(cwd, file) || file
  let mod: Record<string, unknown>
  try {
    mod = await moduleLoader(root)(file)
  } catch (error) {
    throw new CliError(`Could not load ${shown}: ${firstLine(error)}`, { code: 'CONFIG_INVALID', cause: error })
  }
  let config = (mod.default ?? mod) as unknown
  if (typeof config === 'function') config = await (config as () => unknown)()
  const problem = checkConfig(config)
  if (problem) throw new CliError(`${shown}: ${problem}`, { code: 'CONFIG_INVALID' })
  const valid = config as OrmConfig
  const at = (path: string) => (isAbsolute(path) ? path : resolve(root, path))
  return {
    config: valid,
    file,
    root,
    migrationsDir: at(valid.migrations?.dir ?? 'migrations'),
    migrationsTable: valid.migrations?.table ?? 'orm_migrations',
    pullOut: at(valid.pull?.out ?? 'schema.ts'),
  }
}

/** What is wrong with a config, or undefined. */
function checkConfig(config: unknown): string | undefined {
  if (!config || typeof config !== 'object') {
    return 'the default export must be the config object: export default defineConfig({ dialect, migrations: { dir } }).'
  }
  const c = config as Record<string, unknown>
  const dialect = c.dialect as Partial<Dialect> | undefined
  if (!dialect || typeof dialect !== 'object' || typeof dialect.createDriver !== 'function') {
    return '"dialect" must be a dialect instance, e.g. sqlite({ filename: \'app.db\' }) from @orm/sqlite, pg({ connectionString }) from @orm/pg or mysql({ uri }) from @orm/mysql.'
  }
  if (c.schema !== undefined && (!c.schema || typeof c.schema !== 'object' || !('meta' in (c.schema as object)))) {
    return '"schema" must be a schema made by defineSchema().'
  }
  const migrations = c.migrations as Record<string, unknown> | undefined
  if (migrations !== undefined) {
    if (!migrations || typeof migrations !== 'object') return '"migrations" must be an object: { dir, table? }.'
    if (migrations.dir !== undefined && (typeof migrations.dir !== 'string' || !migrations.dir)) return '"migrations.dir" must be a folder path.'
    if (migrations.table !== undefined && (typeof migrations.table !== 'string' || !/^[A-Za-z_][\w$]*$/.test(migrations.table))) {
      return '"migrations.table" must be a table name (letters, digits, _).'
    }
  }
  const pull = c.pull as Record<string, unknown> | undefined
  if (pull !== undefined && (!pull || typeof pull !== 'object' || (pull.out !== undefined && typeof pull.out !== 'string'))) {
    return '"pull" must be an object: { out? }.'
  }
  return undefined
}
