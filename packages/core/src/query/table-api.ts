import type { AnySchema } from '../schema/define-schema.js'
import { ColumnRef } from '../schema/table.js'
import { andAll, n, SQL_NODE, type ExprNode } from '../sql/ast.js'
import { scopeOf, type QueryContext } from './context.js'
import { keyPredicate } from './keys.js'
import { deleteWhere, insertRows, restoreWhere, updateByKey, upsertRows, type UpsertOptions } from './mutations.js'
import { QueryBuilder } from './query-builder.js'
import type { ColumnName, InferInsert, InferUpdate, Row, TableKey, TableOf } from './types.js'

/**
 * `db.<table>`: finds, inserts, updates and deletes rows of one table, and starts queries. It also stands
 * for the table inside the `sql` template (`${db.users}`), and its columns are properties (`${db.users.name}`)
 * unless a column's name is one of the methods here.
 */
export class TableApi<S extends AnySchema, K extends TableKey<S>> {
  constructor(protected readonly ctx: QueryContext) {
    for (const column of ctx.meta.columns) {
      if (!(column.prop in this)) {
        Object.defineProperty(this, column.prop, { value: new ColumnRef(this, column.prop, column.name), enumerable: true })
      }
    }
  }

  get $name(): string {
    return this.ctx.meta.name
  }

  [SQL_NODE]() {
    return { kind: 'Table', name: this.ctx.meta.name } as const
  }

  /** A new query over this table. */
  query(): QueryBuilder<S, K> {
    return new QueryBuilder<S, K>(this.ctx)
  }

  /** The row with this primary key (a scalar, or an object / array for a composite key), or null. */
  find(key: unknown): Promise<Row<S, K> | null> {
    return this.query().find(key)
  }

  findOrFail(key: unknown): Promise<Row<S, K>> {
    return this.query().findOrFail(key)
  }

  /** Inserts one row or many and returns them as stored, with their generated ids. */
  insert(values: readonly InferInsert<TableOf<S, K>>[]): Promise<Row<S, K>[]>
  insert(values: InferInsert<TableOf<S, K>>): Promise<Row<S, K>>
  async insert(values: unknown): Promise<unknown> {
    if (Array.isArray(values)) return insertRows(this.ctx, values)
    const [row] = await insertRows(this.ctx, [values as Record<string, unknown>])
    return row
  }

  /** Inserts, or updates the row that has the same `conflict` columns. */
  upsert(values: readonly InferInsert<TableOf<S, K>>[], options?: UpsertOptions & { conflict?: readonly ColumnName<TableOf<S, K>>[] }): Promise<Row<S, K>[]>
  upsert(values: InferInsert<TableOf<S, K>>, options?: UpsertOptions & { conflict?: readonly ColumnName<TableOf<S, K>>[] }): Promise<Row<S, K>>
  async upsert(values: unknown, options: UpsertOptions = {}): Promise<unknown> {
    if (Array.isArray(values)) return upsertRows(this.ctx, values, options)
    const [row] = await upsertRows(this.ctx, [values as Record<string, unknown>], options)
    return row
  }

  /** Updates the row with this key and returns it as stored, or null when there is none. */
  update(key: unknown, values: InferUpdate<TableOf<S, K>>): Promise<Row<S, K> | null> {
    return updateByKey(this.ctx, this.liveKey(key), values as Record<string, unknown>) as Promise<Row<S, K> | null>
  }

  /** Deletes the row with this key (or this row): soft where the table soft-deletes, unless `force`. Returns 1 or 0. */
  delete(keyOrRow: unknown, options: { force?: boolean } = {}): Promise<number> {
    return deleteWhere(this.ctx, keyPredicate(scopeOf(this.ctx), keyOrRow), options.force === true)
  }

  /** Brings a soft-deleted row back. Returns 1 or 0. */
  restore(key: unknown): Promise<number> {
    const soft = this.ctx.meta.softDelete
    const trashed = soft ? n.isNull(n.column(soft.name, this.ctx.meta.name), true) : undefined
    return restoreWhere(this.ctx, andAll([keyPredicate(scopeOf(this.ctx), key), trashed]))
  }

  /** The key predicate, limited to rows that are not soft-deleted. */
  private liveKey(key: unknown): ExprNode {
    const predicate = keyPredicate(scopeOf(this.ctx), key)
    const soft = this.ctx.meta.softDelete
    return soft ? n.and([predicate, n.isNull(n.column(soft.name, this.ctx.meta.name))]) : predicate
  }
}

