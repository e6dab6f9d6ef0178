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
import { createGraph } from './relations/graph-create.js'
import { deleteGraph } from './relations/graph-delete.js'
import { saveGraph } from './relations/graph-save.js'
import type { GraphInput, GraphRow, NoExtraKeys, SaveInput } from './relations/graph-types.js'

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

  /**
   * Deletes the row with this key (or this row): soft where the table soft-deletes, unless `force`. Returns 1 or 0.
   * `with` deletes those relations first, in one transaction: has-relation rows (deepest first for dot paths,
   * soft where their table soft-deletes), pivot links (the related rows stay).
   */
  delete<P extends string = never>(keyOrRow: unknown, options: { force?: boolean; with?: readonly (P & RelationPath<S, K, P>)[] } = {}): Promise<number> {
    if (options.with !== undefined) return deleteGraph(this.ctx, keyOrRow, options.with, options.force === true)
    return deleteWhere(this.ctx, keyPredicate(scopeOf(this.ctx), keyOrRow), options.force === true)
  }

  /**
   * Writes a row and every relation present in the input, nested, in one transaction: belongsTo targets
   * first, then the row, then its children (one insert per relation level), pivot rows last. Rows given by
   * key (`{ id: 1 }`) under belongsTo and pivot relations are existing rows, pointed at or attached.
   * Returns the graph as written, every id filled in. `omit` / `only` choose relations by dot path.
   */
  create<I extends GraphInput<S, K>, P extends string = never>(inputs: readonly I[], options?: GraphOptions<S, K, P>): Promise<GraphRow<S, K, I>[]>
  create<I extends GraphInput<S, K>, P extends string = never>(input: I & NoExtraKeys<I, GraphInput<S, K>>, options?: GraphOptions<S, K, P>): Promise<GraphRow<S, K, I>>
  async create(input: unknown, options: { omit?: readonly string[]; only?: readonly string[] } = {}): Promise<unknown> {
    if (Array.isArray(input)) return createGraph(this.ctx, input, options)
    const [row] = await createGraph(this.ctx, [input as Record<string, unknown>], options)
    return row
  }

  /**
   * Updates the row by its key (the columns present in it) and upserts the relations named in `with`
   * (GORM's FullSaveAssociations), in one transaction: rows with a key updated and re-pointed, rows without
   * inserted, pivot targets given by key attached. Other relations are not touched. Returns the saved graph.
   */
  save<I extends SaveInput<S, K>, P extends string = never>(
    row: I & NoExtraKeys<I, SaveInput<S, K>>,
    options: { with?: readonly (P & RelationPath<S, K, P>)[] } = {},
  ): Promise<GraphRow<S, K, I>> {
    return saveGraph(this.ctx, row as Record<string, unknown>, options) as Promise<GraphRow<S, K, I>>
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
  related<N extends RelationName<S, K>>(rows: readonly Partial<Row<S, K>>[], name: N): RelatedQuery<S, Extract<RelationTarget<S, K, N>, TableKey<S>>, Row<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>, true>
  related<N extends RelationName<S, K>>(row: Partial<Row<S, K>>, name: N): RelatedQuery<S, Extract<RelationTarget<S, K, N>, TableKey<S>>>
  related<N extends RelationName<S, K>>(
    rows: Partial<Row<S, K>> | readonly Partial<Row<S, K>>[],
    name: N,
  ): RelatedQuery<S, Extract<RelationTarget<S, K, N>, TableKey<S>>, any, boolean> {
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

/** Options of create(): relations (dot paths) to skip, or the only ones to write. */
export interface GraphOptions<S extends AnySchema, K extends TableKey<S>, P extends string> {
  omit?: readonly (P & RelationPath<S, K, P>)[]
  only?: readonly (P & RelationPath<S, K, P>)[]
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
