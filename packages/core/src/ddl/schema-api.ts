import type { Session } from '../driver/session.js'
import { runTransaction } from '../driver/transaction.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { DdlNode } from '../sql/ddl.js'
import { Blueprint } from './blueprint.js'
import { createTableNode, morphIndexes, tablesInForeignKeyOrder } from './table-ddl.js'

/** `db.schema`: creates and drops tables, from the schema's definitions or with the createTable builder. */
export class SchemaApi {
  constructor(
    private readonly session: Session,
    private readonly schema: AnySchema,
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

  async dropTable(name: string, options: { ifExists?: boolean } = {}): Promise<void> {
    await this.run([{ kind: 'DropTable', name, ifExists: options.ifExists }])
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
