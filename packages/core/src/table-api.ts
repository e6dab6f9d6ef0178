import { ValidationError } from './errors.js'
import type { AnySchema } from './schema/define-schema.js'
import { ColumnRef } from './schema/table.js'
import { andAll, n, SQL_NODE, type ExprNode } from './sql/ast.js'
import { scopeOf, type QueryContext } from './query/context.js'
import { keyPredicate } from './query/keys.js'
import { deleteWhere, insertRows, restoreWhere, updateByKey, upsertRows, type UpsertOptions } from './query/mutations.js'
import type { ColumnName, InferInsert, InferUpdate, Row, TableKey, TableOf } from './query/types.js'
import { addPath, type EagerNode, type EagerTree } from './relations/eager-tree.js'
import { loadTree } from './relations/eager-load.js'
import { QueryBuilder } from './relations/query-builder.js'
import { linksOf, relationOf } from './relations/links.js'
import type { RelationName, RelationPath, RelationTarget, WithLoaded } from './relations/types.js'
import { RelatedQuery } from './relations/related.js'
import { relatedLink, type RelatedOwner } from './relations/related-scope.js'

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

  /**
   * Loads relations onto rows already fetched (lazy eager loading): one statement per relation level.
   * The rows are changed in place and returned, typed with what was loaded.
   */
  async load<T extends Row<S, K>, P extends string>(rows: T | T[], ...paths: (P & RelationPath<S, K, P>)[]): Promise<(T & WithLoaded<S, K, {}, P, {}>)[]> {
    const list = (Array.isArray(rows) ? rows : [rows]) as Record<string, unknown>[]
    await loadTree(this.ctx, list, this.tree(paths), this.makeQuery)
    return list as any
  }

  /** Like load(), but only for relations a row does not have yet (at every level of the paths). */
  async loadMissing<T extends Row<S, K>, P extends string>(rows: T | T[], ...paths: (P & RelationPath<S, K, P>)[]): Promise<(T & WithLoaded<S, K, {}, P, {}>)[]> {
    const list = (Array.isArray(rows) ? rows : [rows]) as Record<string, unknown>[]
    await loadMissingTree(this.ctx, list, this.tree(paths), this.makeQuery)
    return list as any
  }

  private tree(paths: readonly string[]): EagerTree {
    let tree: EagerTree = new Map()
    for (const path of paths.flat()) tree = addPath(this.ctx.schema, this.ctx.tableKey, tree, path)
    return tree
  }

  private makeQuery = (ctx: QueryContext): any => new QueryBuilder(ctx)

  /**
   * A query over the related rows of one row or several, with the writes of the relation's kind:
   * `db.users.related(user, 'posts').where(...).get()`, `.create()`, `.attach()`, `.sync()`, `.append()`, ...
   */
  related<N extends RelationName<S, K>>(
    rows: Partial<Row<S, K>> | readonly Partial<Row<S, K>>[],
    name: N,
  ): RelatedQuery<S, Extract<RelationTarget<S, K, N>, TableKey<S>>> {
    const batch = Array.isArray(rows)
    const parents = (batch ? rows : [rows]) as Record<string, unknown>[]
    for (const parent of parents) {
      if (parent === null || typeof parent !== 'object') throw new ValidationError(`related() takes a row or an array of rows of "${this.ctx.meta.name}".`)
    }
    const relation = relationOf(this.ctx.schema, this.ctx.tableKey, name)
    const link = relatedLink(this.ctx.schema, relation, parents)
    const owner: RelatedOwner = { parentKey: this.ctx.tableKey, parents, relation, link, batch }
    return new RelatedQuery({ session: this.ctx.session, schema: this.ctx.schema, tableKey: link.target, meta: link.targetMeta, owner }) as any
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


/** Loads only the relations that some row lacks; where all rows have one, walks into its rows for the next level. */
async function loadMissingTree(ctx: QueryContext, rows: Record<string, unknown>[], tree: EagerTree, make: (ctx: QueryContext) => any) {
  for (const [name, node] of tree) {
    const missing = rows.filter((row) => !(name in row))
    if (missing.length) await loadTree(ctx, missing, new Map<string, EagerNode>([[name, node]]), make)
    if (node.children.size === 0) continue
    const relation = relationOf(ctx.schema, ctx.tableKey, name)
    for (const link of linksOf(ctx.schema, relation)) {
      const type = link.parentType
      const owners = type ? rows.filter((row) => row[type.column.prop] === type.value) : rows
      const children = owners.flatMap((row) => {
        const value = row[name]
        return (Array.isArray(value) ? value : value ? [value] : []) as Record<string, unknown>[]
      })
      const childCtx = { session: ctx.session, schema: ctx.schema, tableKey: link.target, meta: link.targetMeta }
      if (children.length) await loadMissingTree(childCtx, children, node.children, make)
    }
  }
}
