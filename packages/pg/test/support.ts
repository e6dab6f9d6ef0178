import type { Connection, CreateTableNode, DdlNode, StatementNode } from '@orm/core'
import { pg, type PgDialect, type PgDriver } from '../src/index.js'

/** The database tests run when ORM_TEST_PG_URL names a server, e.g. postgres://postgres@127.0.0.1:5432/test. */
export const url = process.env.ORM_TEST_PG_URL

export function announceSkip(file: string): void {
  if (!url) console.log(`[${file}] ORM_TEST_PG_URL is not set: skipping the PostgreSQL database tests.`)
}

/** A dialect, an open driver and one connection, with helpers to run AST nodes and DDL on it. */
export class TestDb {
  readonly dialect: PgDialect = pg({ connectionString: url, max: 4 })
  readonly driver: PgDriver = this.dialect.createDriver()
  readonly compiler = this.dialect.createCompiler(this.dialect.capabilities)
  readonly ddl = this.dialect.createDdlCompiler(this.compiler)
  connection!: Connection

  async open(): Promise<this> {
    await this.driver.connect()
    this.connection = await this.driver.acquire()
    return this
  }

  async close(): Promise<void> {
    this.connection?.release()
    await this.driver.close()
  }

  run(node: StatementNode, rowMode: 'array' | 'object' = 'object', connection = this.connection) {
    return connection.execute(this.compiler.compile(node), rowMode)
  }

  sql(sql: string, params: unknown[] = [], connection = this.connection) {
    return connection.execute({ sql, params }, 'object')
  }

  async create(node: CreateTableNode): Promise<void> {
    await this.drop(node.name)
    for (const statement of this.ddl.compile(node)) await this.sql(statement)
  }

  async drop(...names: string[]): Promise<void> {
    for (const name of names) {
      const node: DdlNode = { kind: 'DropTable', name, ifExists: true }
      for (const statement of this.ddl.compile(node)) await this.sql(`${statement} CASCADE`)
    }
  }
}
