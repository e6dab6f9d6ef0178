/**
 * Which dialects the pages run on, and the databases they get there.
 *
 * SQLite always runs, with the real `@orm/sqlite`. PostgreSQL runs when ORM_TEST_PG_URL is set and MySQL /
 * MariaDB when ORM_TEST_MYSQL_URL is; ORM_TEST_DATABASES=sqlite,pg narrows the list, and a dialect named in
 * ORM_TEST_REQUIRE that cannot run fails the run (as in the relationship suite).
 *
 * On a server the pages use the database `doc_check` (made when absent), never the one in the URL. A page's
 * `sqlite(...)` then opens the server instead (see as-sqlite.ts): the n-th call of a page gets a new, empty
 * namespace, as each `sqlite()` in memory is a new database: on PostgreSQL the schema `docs_<n>` of
 * `doc_check` (through `search_path`), on MySQL the database `doc_check` for the first and `doc_check_<n>`
 * after it. Each is dropped and made again when the page asks for it; at the end all but the first are dropped.
 */
import { createDb, defineSchema, sql, type Dialect, type Driver } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'

export type DialectName = 'sqlite' | 'pg' | 'mysql'
export type ServerName = Exclude<DialectName, 'sqlite'>

const ENV: Record<ServerName, string> = { pg: 'ORM_TEST_PG_URL', mysql: 'ORM_TEST_MYSQL_URL' }
export const DATABASE = 'doc_check'

function list(variable: string): string[] {
  return (process.env[variable] ?? '').split(',').map((s) => s.trim()).filter(Boolean)
}

export interface Plan {
  readonly run: readonly { readonly name: DialectName; readonly url?: string }[]
  /** Dialects that were required (ORM_TEST_REQUIRE) but cannot run, with the reason. */
  readonly missing: readonly string[]
  readonly skipped: readonly string[]
}

export function plan(): Plan {
  const selected = list('ORM_TEST_DATABASES')
  const required = new Set(list('ORM_TEST_REQUIRE'))
  const isSelected = (name: DialectName) => selected.length === 0 || selected.includes(name)
  const run: { name: DialectName; url?: string }[] = []
  const missing: string[] = []
  const skipped: string[] = []
  if (isSelected('sqlite')) run.push({ name: 'sqlite' })
  for (const name of ['pg', 'mysql'] as const) {
    const url = process.env[ENV[name]]
    if (isSelected(name) && url) run.push({ name, url })
    else {
      const why = isSelected(name) ? `${ENV[name]} is not set` : 'ORM_TEST_DATABASES leaves it out'
      ;(required.has(name) ? missing : skipped).push(`${name}: ${why}`)
    }
  }
  if (required.has('sqlite') && !isSelected('sqlite')) missing.push('sqlite: ORM_TEST_DATABASES leaves it out')
  return { run, missing, skipped }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = '/' + database
  return u.toString()
}

const emptySchema = defineSchema({})

/** A statement of constant text (names made here, never from input): the `sql` template has no raw form. */
function statement(text: string) {
  return sql(Object.assign([text], { raw: [text] }))
}

/** A PostgreSQL or MySQL server the pages run on, handing out fresh namespaces in `doc_check`. */
export class Server {
  private readonly admin: ReturnType<typeof createDb<typeof emptySchema>>
  private docCheck?: ReturnType<typeof createDb<typeof emptySchema>>
  private opened = 0
  private highest = 0
  private pending: Promise<unknown>[] = []
  private drivers: Driver[] = []

  constructor(readonly name: ServerName, private readonly url: string) {
    this.admin = createDb({ schema: emptySchema, dialect: this.dialect(url) })
  }

  private dialect(url: string, schema?: string): Dialect {
    return this.name === 'pg'
      ? pg({ connectionString: url, max: 4, ...(schema ? { options: `-c search_path=${schema}` } : {}) })
      : mysql({ uri: url, connectionLimit: 4 })
  }

  /** Makes `doc_check` when it is absent. */
  async prepare(): Promise<void> {
    if (this.name === 'mysql') {
      await this.admin.execute(statement(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`))
      return
    }
    const found = await this.admin.execute(sql`select 1 from pg_database where datname = ${DATABASE}`)
    if (found.length === 0) await this.admin.execute(statement(`CREATE DATABASE ${DATABASE}`))
    this.docCheck = createDb({ schema: emptySchema, dialect: this.dialect(withDatabase(this.url, DATABASE)) })
  }

  /** A dialect on a new, empty namespace: what a page's n-th `sqlite()` opens. */
  openDatabase(): Dialect {
    const n = ++this.opened
    this.highest = Math.max(this.highest, n)
    let base: Dialect
    let ready: Promise<unknown>
    if (this.name === 'pg') {
      const schema = `docs_${n}`
      ready = this.docCheck!.execute(statement(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`))
      base = this.dialect(withDatabase(this.url, DATABASE), schema)
    } else {
      const database = n === 1 ? DATABASE : `${DATABASE}_${n}`
      ready = this.admin
        .execute(statement(`DROP DATABASE IF EXISTS ${database}`))
        .then(() => this.admin.execute(statement(`CREATE DATABASE ${database}`)))
      base = this.dialect(withDatabase(this.url, database))
    }
    ready.catch(() => undefined) // reported by connect(); a page that never connects must not fail on it
    this.pending.push(ready)
    const drivers = this.drivers
    return {
      name: base.name,
      capabilities: base.capabilities,
      codecs: base.codecs,
      introspector: base.introspector,
      createCompiler: (capabilities) => base.createCompiler(capabilities),
      createDdlCompiler: (compiler) => base.createDdlCompiler(compiler),
      mapError: (error, text) => base.mapError(error, text),
      createDriver: () => {
        const driver = base.createDriver()
        drivers.push(driver)
        return {
          connect: async () => {
            await ready
            return driver.connect()
          },
          acquire: () => driver.acquire(),
          close: () => driver.close(),
        }
      },
    }
  }

  /** After a page: close what it opened (closing twice is harmless) and start numbering again. */
  async endPage(): Promise<void> {
    await Promise.allSettled(this.pending)
    await Promise.allSettled(this.drivers.map((d) => d.close()))
    this.pending = []
    this.drivers = []
    this.opened = 0
  }

  /** Drops the namespaces after the first (the first stays, with the last page's tables, to look at). */
  async close(): Promise<void> {
    await this.endPage()
    for (let n = 2; n <= this.highest; n++) {
      if (this.name === 'pg') await this.docCheck!.execute(statement(`DROP SCHEMA IF EXISTS docs_${n} CASCADE`))
      else await this.admin.execute(statement(`DROP DATABASE IF EXISTS ${DATABASE}_${n}`))
    }
    await this.docCheck?.close()
    await this.admin.close()
  }
}

const TARGET = Symbol.for('orm.docs-check.server')

/** The server the stand-in `sqlite()` opens, set by the test around each page. */
export function setServer(server: Server | undefined): void {
  ;(globalThis as unknown as { [TARGET]?: Server })[TARGET] = server
}

export function currentServer(): Server {
  const server = (globalThis as unknown as { [TARGET]?: Server })[TARGET]
  if (!server) throw new Error('docs-check: sqlite() was called outside a page run on a server')
  return server
}
