import { col, type AnyColumn, type ColumnDefinitionNode, type Connection, type Driver, type RowMode } from '@orm/core'
import { sqlite } from '../src/index.js'

/** A column definition node from a column builder, as the schema layer would make it. */
export function column(name: string, builder: AnyColumn): ColumnDefinitionNode {
  return { name, kind: builder.config.kind, config: builder.config }
}

export { col }

/** A fresh in-memory database through the public Dialect object. */
export async function openDatabase(options: Parameters<typeof sqlite>[0] = {}) {
  const dialect = sqlite(options)
  const driver: Driver = dialect.createDriver()
  const capabilities = { ...dialect.capabilities, ...(await driver.connect()) }
  const compiler = dialect.createCompiler(capabilities)
  const ddl = dialect.createDdlCompiler(compiler)
  return { dialect, driver, capabilities, compiler, ddl }
}

/** Runs SQL text on a connection and returns the rows. */
export async function rows(connection: Connection, sql: string, params: unknown[] = [], mode: RowMode = 'object') {
  return (await connection.execute({ sql, params }, mode)).rows as any[]
}

/** Runs statements one by one (better-sqlite3 prepares one statement at a time). */
export async function runAll(connection: Connection, statements: readonly string[]) {
  for (const sql of statements) await connection.execute({ sql, params: [] }, 'array')
}
