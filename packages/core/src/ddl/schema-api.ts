import { runWithLock, type LockOptions } from '../driver/lock.js'
import type { Session } from '../driver/session.js'
import { runTransaction } from '../driver/transaction.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { DdlNode } from '../sql/ddl.js'
import type { DdlCompiler } from '../sql/ddl-compiler.js'
import type { SqlFragment } from '../sql/sql-template.js'
import { Blueprint } from './blueprint.js'
import { createTableNode, morphIndexes, tablesInForeignKeyOrder } from './table-ddl.js'

/**
 * `db.schema`: creates, alters and drops tables, from the schema's definitions or with the Blueprint builder.
 * `Scope` is the db type `withLock` hands its function (the db this API belongs to).
 */
export class SchemaApi<Scope = unknown> {
  constructor(
    private readonly session: Session,
    private readonly schema: AnySchema,
    private readonly makeScope: (session: Session) => Scope = () => undefined as Scope,
  ) {}

  /** Creates every table of the schema, in foreign-key order (in one transaction where DDL is transactional). */
  async create(options: { ifNotExists?: boolean } = {}): Promise<void> {
    const morph = morphIndexes(this.schema)
    const nodes = tablesInForeignKeyOrder(this.schema).map((meta) => createTableNode(meta, options, morph.get(meta.name)))
    await this.run(nodes)
  }

  /** Drops every table of the schema that exists, dependents first. */
  async drop(): Promise<void> {
    const nodes: DdlNode[] = tablesInForeignKeyOrder(this.schema)
      .reverse()
      .map((meta) => ({ kind: 'DropTable', name: meta.name, ifExists: true }))
    await this.run(nodes)
  }

  async createTable(name: string, build: (t: Blueprint) => void, options: { ifNotExists?: boolean } = {}): Promise<void> {
    const blueprint = new Blueprint(name, (table) => this.tableName(table))
    build(blueprint)
    await this.run([{ ...blueprint.toNode(), ifNotExists: options.ifNotExists }])
  }

  /**
   * Changes an existing table with the Blueprint: new columns (with the createTable column methods and
   * modifiers), dropColumn, renameColumn, index/unique/dropIndex/dropUnique, foreignId().constrained(),
   * dropForeign. The changes run in the order declared, in one transaction where DDL is transactional.
   */
  async alterTable(name: string, build: (t: Blueprint) => void): Promise<void> {
    const blueprint = new Blueprint(name, (table) => this.tableName(table), 'alter')
    build(blueprint)
    await this.run([blueprint.toAlterNode()])
  }

  async dropTable(name: string, options: { ifExists?: boolean } = {}): Promise<void> {
    await this.run([{ kind: 'DropTable', name, ifExists: options.ifExists }])
  }

  async dropTableIfExists(name: string): Promise<void> {
    await this.dropTable(name, { ifExists: true })
  }

  async renameTable(from: string, to: string): Promise<void> {
    await this.run([{ kind: 'RenameTable', from, to }])
  }

  /** Whether the table exists (in the current schema on PostgreSQL, the current database on MySQL). */
  async hasTable(name: string): Promise<boolean> {
    return this.exists((ddl) => ddl.tableExists(name))
  }

  /** Whether the table has the column (its database name). */
  async hasColumn(table: string, column: string): Promise<boolean> {
    return this.exists((ddl) => ddl.columnExists(table, column))
  }

  /**
   * Runs `fn` holding a lock named `name` across processes on this database (`orm migrate` takes one per run):
   * PostgreSQL `pg_advisory_lock`, MySQL/MariaDB `GET_LOCK`, SQLite a write transaction (BEGIN IMMEDIATE), in
   * which `fn`'s statements and transactions run. Another holder is waited for up to `timeoutMs` (default
   * 60 s), then it fails with a LockTimeoutError. The lock is released when `fn` returns or throws.
   */
  withLock<T>(name: string, fn: (db: Scope) => Promise<T>, options: LockOptions = {}): Promise<T> {
    return runWithLock(this.session, this.makeScope, name, fn, options)
  }

  /** The SQL statements `create()` would run, for inspection and migrations. */
  createStatements(options: { ifNotExists?: boolean } = {}): string[] {
    const ddl = this.session.core.dialect.createDdlCompiler(this.session.core.compiler)
    const morph = morphIndexes(this.schema)
    return tablesInForeignKeyOrder(this.schema).flatMap((meta) => ddl.compile(createTableNode(meta, options, morph.get(meta.name))))
  }

  /** A table name given in a blueprint: a schema key (`postTags`) means that table's name. */
  private tableName(name: string): string {
    return this.schema.meta.tables.get(name)?.name ?? name
  }

  private async exists(query: (ddl: DdlCompiler) => SqlFragment): Promise<boolean> {
    await this.session.core.ready()
    const core = this.session.core
    const result = await this.session.run(query(core.dialect.createDdlCompiler(core.compiler)).node, 'object')
    return result.rows.length > 0
  }

  private async run(nodes: DdlNode[]): Promise<void> {
    await this.session.core.ready()
    const core = this.session.core
    const ddl = core.dialect.createDdlCompiler(core.compiler)
    const statements = nodes.flatMap((node) => ddl.compile(node))
    const exec = async (session: Session) => {
      for (const sql of statements) await session.execute({ sql, params: [] }, 'object')
    }
    if (core.capabilities.transactionalDdl && statements.length > 1) await runTransaction(this.session, (s) => s, exec)
    else await exec(this.session)
  }
}
