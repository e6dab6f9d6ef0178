import { SchemaError, ValidationError } from './errors.js'
import { SchemaApi } from './ddl/schema-api.js'
import type { Dialect } from './driver/dialect.js'
import { DbCore, Session, type LogFn } from './driver/session.js'
import { runTransaction, type TransactionOptions } from './driver/transaction.js'
import type { AnySchema } from './schema/define-schema.js'
import type { ColumnRef, ColumnValue } from './schema/table.js'
import { isSqlNodeSource, SqlFragment } from './sql/sql-template.js'
import { SQL_NODE, type RawNode } from './sql/ast.js'
import { readUnknownRows } from './query/row-reader.js'
import { TableApi } from './table-api.js'
import type { TableKey, TableOf } from './query/types.js'

export interface DbOptions<S extends AnySchema> {
  schema: S
  dialect: Dialect
  /** Receives `{ sql, params, durationMs, rowCount }` for every statement. */
  log?: LogFn
  /**
   * How eager loading reads relations. 'keyed': one statement per relation level with the parents' keys in
   * an IN list. 'auto' (the default): the same, except that an unconstrained to-one relation whose row is
   * unique for its parent is read with a LEFT JOIN in the parents' statement. See docs/eager-loading.md.
   */
  eagerStrategy?: 'auto' | 'keyed'
}

type TableColumns<S extends AnySchema, K extends TableKey<S>> = {
  readonly [C in Exclude<keyof TableOf<S, K>['$columns'], keyof TableApi<any, any>>]: ColumnRef<ColumnValue<TableOf<S, K>['$columns'][C]>>
}

/** `db.users`: the table API plus its columns, for the `sql` template. */
export type TableHandle<S extends AnySchema, K extends TableKey<S>> = TableApi<S, K> & TableColumns<S, K>

export interface DbMethods<S extends AnySchema> {
  readonly schema: SchemaApi<Db<S>>
  /** Runs `fn` in a transaction; a nested call is a savepoint. Rolls back on error; retries serialization failures if asked. */
  transaction<T>(fn: (tx: Db<S>) => Promise<T>, options?: TransactionOptions): Promise<T>
  /** Runs raw SQL from the `sql` template; values are always bound. Returns the rows (objects keyed by column). */
  execute<T = Record<string, unknown>>(query: SqlFragment): Promise<T[]>
  close(): Promise<void>
  readonly dialect: Dialect
}

export type Db<S extends AnySchema> = DbMethods<S> & { readonly [K in TableKey<S>]: TableHandle<S, K> }

const RESERVED = new Set(['schema', 'transaction', 'execute', 'close', 'dialect', 'then'])

/** Creates the `db` object. It connects on first use. */
export function createDb<S extends AnySchema>(options: DbOptions<S>): Db<S> {
  const { schema, dialect } = options
  if (!schema || !schema.meta) throw new SchemaError('createDb needs { schema } made by defineSchema().')
  if (!dialect || typeof dialect.createDriver !== 'function') {
    throw new SchemaError('createDb needs { dialect }, for example sqlite({ filename }) from @orm/sqlite.')
  }
  for (const key of schema.meta.tables.keys()) {
    if (RESERVED.has(key)) {
      throw new SchemaError(`Table key "${key}" collides with db.${key}; give the table another key in defineSchema.`)
    }
  }
  if (options.eagerStrategy !== undefined && options.eagerStrategy !== 'auto' && options.eagerStrategy !== 'keyed') {
    throw new ValidationError(`Unknown eagerStrategy "${String(options.eagerStrategy)}". Valid: auto, keyed.`)
  }
  const core = new DbCore(dialect, options.log, options.eagerStrategy)
  return makeDb(new Session(core), schema)
}

/** The db object for a session: the pool's, or a transaction's. Table APIs are made on first access. */
function makeDb<S extends AnySchema>(session: Session, schema: S): Db<S> {
  const db: Record<string, unknown> = {}
  let schemaApi: SchemaApi<Db<S>> | undefined
  Object.defineProperties(db, {
    schema: { get: () => (schemaApi ??= new SchemaApi(session, schema, (s) => makeDb(s, schema))), enumerable: false },
    dialect: { value: session.core.dialect, enumerable: false },
    transaction: {
      value: <T>(fn: (tx: Db<S>) => Promise<T>, opts?: TransactionOptions) =>
        runTransaction(session, (s) => makeDb(s, schema), fn, opts),
    },
    execute: {
      value: async (query: SqlFragment) => {
        const node = toRawNode(query)
        const result = await session.run(node, 'object')
        return readUnknownRows(result.rows, session.core.dialect.codecs)
      },
    },
    close: { value: () => session.core.close() },
  })
  for (const [key, meta] of schema.meta.tables) {
    let api: TableApi<S, any> | undefined
    Object.defineProperty(db, key, {
      get: () => (api ??= new TableApi({ session, schema, tableKey: key, meta })),
      enumerable: true,
    })
  }
  return db as Db<S>
}

function toRawNode(query: unknown): RawNode {
  if (query instanceof SqlFragment) return query.node
  if (isSqlNodeSource(query)) {
    const node = query[SQL_NODE]()
    if (node.kind === 'Raw') return node
  }
  throw new SchemaError('db.execute takes a sql`...` fragment (import { sql } from "@orm/core").')
}
