import { NotFoundError, ValidationError } from '../errors.js'
import { runTransaction } from '../driver/transaction.js'
import type { Session } from '../driver/session.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { BelongsToRelation, HasRelation, MorphOneRelation, MorphToRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta } from '../schema/table.js'
import { alwaysFalse, andAll, n, type ExprNode } from '../sql/ast.js'
import { chunk } from '../query/chunk.js'
import type { QueryContext } from '../query/context.js'
import { keyPredicate, keysIn, keyString, keyValues } from '../query/keys.js'
import { insertRows, updateByKey, updateWhere } from '../query/mutations.js'
import type { InferInsert, Row, TableKey, TableOf } from '../query/types.js'
import { columnOf, valueFor } from '../query/where.js'
import { keyOf } from './eager-load.js'
import { currentLinks, deleteDetached, deleteLinks, deletePairs, insertLinks, updateLink, type LinkChanges, type PivotEntry, type PivotLink, type PivotRelation } from './pivot-writes.js'
import { QueryBuilder } from './query-builder.js'
import { parentKeys, relatedScope, type RelatedOwner } from './related-scope.js'

type Values = Record<string, unknown>
/** Registers an in-memory change to make once the write has committed. */
type Later = (effect: () => void) => void
type Ids = unknown | readonly unknown[] | Record<string | number, Values>

export interface SyncResult {
  attached: unknown[]
  detached: unknown[]
  updated: unknown[]
}

const HAS = new Set(['hasOne', 'hasMany', 'morphOne', 'morphMany'])
const PIVOT = new Set(['belongsToMany', 'morphToMany', 'morphedByMany'])
const OWNER = new Set(['belongsTo', 'morphTo'])

/** How often a pivot write is retried after a deadlock / serialization failure (top-level transactions only). */
const RETRIES = 3

/**
 * `db.users.related(user, 'posts')`: a query over the related rows of one parent or several, and the
 * writes that fit the relation's kind (create/save for has-relations, associate for belongsTo,
 * attach/sync for pivots, GORM's append/replace/remove/clear for every kind).
 *
 * Every write that takes more than one statement runs in one transaction (a savepoint inside one); the
 * rows given are updated in memory only once it has committed. Pivot writes lock the parent rows first,
 * in key order, so concurrent attach/sync/toggle/detach of one parent run one after another.
 */
export class RelatedQuery<S extends AnySchema, T extends TableKey<S>, R = Row<S, T>, B extends boolean = false> extends QueryBuilder<S, T, R> {
  /** Type-level only: whether related() was given an array of rows (a batch: one argument per row). */
  declare readonly $batch: B

  private get owner(): RelatedOwner {
    return this.ctx.owner as RelatedOwner
  }

  override whereNode(trashed?: 'exclude' | 'with' | 'only'): ExprNode | undefined {
    return andAll([relatedScope(this.owner, this.ctx.alias ?? this.ctx.meta.name), super.whereNode(trashed)])
  }

  private expect(kinds: Set<string>, verb: string): void {
    const { relation } = this.owner
    if (!kinds.has(relation.kind)) {
      throw new ValidationError(`${verb}() does not apply to ${relation.table}.${relation.name}, a ${relation.kind} relation.`)
    }
  }

  private single(verb: string): Values {
    const { parents } = this.owner
    if (parents.length !== 1) throw new ValidationError(`${verb}() writes for one parent row; related() was given ${parents.length}.`)
    return parents[0]
  }

  /** Runs `fn` in a transaction (or not, for one statement); the in-memory changes it queued apply after. */
  private async write<X>(fn: (s: Session, later: Later) => Promise<X>, atomic = true): Promise<X> {
    let effects: (() => void)[] = []
    const run = (s: Session) => {
      effects = [] // a retried attempt starts over
      return fn(s, (effect) => effects.push(effect))
    }
    const result = atomic ? await runTransaction(this.ctx.session, (s) => s, run, { retries: RETRIES }) : await run(this.ctx.session)
    for (const effect of effects) effect()
    return result
  }

  private targetCtx(session: Session, tableKey = this.ctx.tableKey): QueryContext {
    return { session, schema: this.ctx.schema, tableKey, meta: this.ctx.schema.meta.tables.get(tableKey)! }
  }

  /** A row, or a bare key of the target (a scalar, or an array for a composite key) as `{ key: value }`. */
  private asRow(item: unknown): Values {
    if (isRow(item)) return item
    const meta = this.ctx.meta
    const values = keyValues(meta, item)
    return Object.fromEntries(meta.primaryKey.map((p, i) => [p, values[i]]))
  }

  // ---- has-relations: the foreign key is on the related row ---------------------------------------

  /** The foreign key (and morph type) values that point a related row at `parent`. */
  private pointer(parent: Values): Values {
    const { link } = this.owner
    const relation = this.owner.relation as HasRelation | MorphOneRelation
    const values: Values = {}
    relation.foreignKey.forEach((c, i) => (values[c.prop] = parent[link.parentKey[i].prop]))
    if (Object.values(values).some((v) => v === undefined || v === null)) {
      throw new ValidationError(`${relation.table}.${relation.name}: the parent row has no ${link.parentKey.map((c) => `"${c.prop}"`).join(', ')}.`)
    }
    if (relation.kind === 'morphOne' || relation.kind === 'morphMany') values[relation.morphType.prop] = relation.morphValue
    return values
  }

  /** Inserts a related row pointing at the parent (for a pivot relation: inserts it and attaches it). */
  async create(values: Partial<InferInsert<TableOf<S, T>>>, pivot?: Values): Promise<Row<S, T>> {
    const parent = this.single('create')
    if (PIVOT.has(this.owner.relation.kind)) {
      return this.write(async (s) => {
        await this.lockParents(s, [parent])
        const [row] = await insertRows(this.targetCtx(s), [values as Values])
        await insertLinks(s, this.pivotRelation, [{ parent: this.parentKeyOf(parent), related: this.relatedKey(row), values: pivot ?? {} }])
        return row as Row<S, T>
      })
    }
    this.expect(HAS, 'create')
    const [row] = await insertRows(this.targetCtx(this.ctx.session), [{ ...(values as Values), ...this.pointer(parent) }])
    return row as Row<S, T>
  }

  async createMany(list: readonly Partial<InferInsert<TableOf<S, T>>>[]): Promise<Row<S, T>[]> {
    const parent = this.single('createMany')
    this.expect(HAS, 'createMany')
    const pointer = this.pointer(parent)
    return (await insertRows(this.targetCtx(this.ctx.session), list.map((v) => ({ ...(v as Values), ...pointer })))) as Row<S, T>[]
  }

  /** Inserts a new row, or points an existing one (it has its key) at the parent and writes its columns. */
  async save(row: Partial<Row<S, T>>): Promise<Row<S, T>> {
    const [saved] = await this.saveMany([row])
    return saved
  }

  async saveMany(rows: readonly Partial<Row<S, T>>[]): Promise<Row<S, T>[]> {
    const parent = this.single('saveMany')
    this.expect(HAS, 'saveMany')
    if (rows.length === 0) return []
    return this.write((s, later) => this.saveFor(s, parent, rows, true, later)) as Promise<Row<S, T>[]>
  }

  /**
   * Points rows at the parent: rows without a key are inserted; rows with one are updated, with all their
   * columns one by one (`full`, for save) or only the foreign key, in one statement (append/replace).
   * A key that no row has is a ValidationError. Returns the rows as stored (as given, for the foreign-key-only update).
   */
  private async saveFor(session: Session, parent: Values, items: readonly unknown[], full: boolean, later: Later): Promise<Values[]> {
    const meta = this.ctx.meta
    const ctx = this.targetCtx(session)
    const pointer = this.pointer(parent)
    const rows = items.map((item) => this.asRow(item))
    const out: Values[] = []
    const fresh: number[] = []
    const existing: number[] = []
    rows.forEach((row, i) => (hasKey(meta.primaryKey, row) ? existing : fresh).push(i))
    if (full) {
      for (const i of existing) {
        const changes: Values = { ...pointer }
        for (const [prop, value] of Object.entries(rows[i])) if (!(prop in changes) && !meta.primaryKey.includes(prop) && meta.byProp.has(prop)) changes[prop] = value
        const stored = await updateByKey(ctx, keyPredicate({ meta, alias: meta.name }, rows[i]), changes)
        if (!stored) throw new ValidationError(`No ${meta.name} row has the key of the row given (${keyValues(meta, rows[i]).join(', ')}).`)
        out[i] = stored
      }
    } else if (existing.length) {
      const keys = [...new Map(existing.map((i) => keyValues(meta, rows[i])).map((k) => [keyString(k), k])).values()]
      const size = (session.core.capabilities.maxParameters - Object.keys(pointer).length - 1) / meta.primaryKey.length
      let matched = 0
      for (const part of chunk(keys, size)) matched += await updateWhere(ctx, keysIn({ meta, alias: meta.name }, part), pointer)
      if (matched < keys.length) throw new ValidationError(`${keys.length - matched} of the ${meta.name} rows given (by key) do not exist.`)
      for (const i of existing) out[i] = { ...rows[i], ...pointer }
    }
    const inserted = await insertRows(ctx, fresh.map((i) => ({ ...rows[i], ...pointer })))
    fresh.forEach((i, j) => (out[i] = inserted[j]))
    const inserts = new Set(fresh)
    items.forEach((item, i) => {
      if (isRow(item)) later(() => Object.assign(item, full || inserts.has(i) ? out[i] : pointer))
    })
    return out
  }

  /**
   * Unlinks the parent's related rows (`only` these, or all but `keep`): foreign key (and type) to NULL.
   * Where that column is NOT NULL, a row that would be unlinked is a ValidationError: never a delete.
   */
  private async unlinkHas(session: Session, parent: Values, keep: readonly Values[] | undefined, only: readonly Values[] | undefined): Promise<number> {
    const relation = this.owner.relation as HasRelation | MorphOneRelation
    const meta = this.ctx.meta
    const pk = meta.primaryKey.map((p) => meta.byProp.get(p)!)
    const inKeys = (rows: readonly Values[]) =>
      n.in(pk.map((c) => n.column(c.name, meta.name)), rows.map((r) => keyValues(meta, r).map((v, i) => valueFor(pk[i], v))))
    const where = andAll([
      relatedScope({ ...this.owner, parents: [parent] }, meta.name),
      only ? inKeys(only) : undefined,
      keep && keep.length ? n.not(inKeys(keep)) : undefined,
    ])
    if (alwaysFalse(where)) return 0
    const columns = [...relation.foreignKey, ...(relation.kind === 'morphOne' || relation.kind === 'morphMany' ? [relation.morphType] : [])]
    const notNull = columns.filter((c) => !c.config.nullable)
    if (notNull.length) {
      const found = await session.run(n.select({ from: n.table(meta.name), columns: [n.raw(['1'])], where, limit: n.integer(1) }))
      if (found.rows.length === 0) return 0
      throw new ValidationError(
        `Cannot unlink ${relation.table}.${relation.name}: ${meta.name}.${notNull.map((c) => c.prop).join(', ')} is NOT NULL. ` +
          `Delete the rows with related(...).delete() instead, or make the column nullable.`,
      )
    }
    return updateWhere(this.targetCtx(session), where, Object.fromEntries(columns.map((c) => [c.prop, null])))
  }

  // ---- belongsTo / morphTo: the foreign key is on the parent ----------------------------------------

  /**
   * Points the parent at `row` (a row or its key): writes the foreign key, and the type for a morphTo, and
   * sets both and the row in memory. A morphTo takes the row's table as `type` where the row cannot tell.
   */
  async associate(row: Values | string | number | bigint, type?: string): Promise<Values> {
    const parent = this.single('associate')
    this.expect(OWNER, 'associate')
    if (row === null || row === undefined) throw new ValidationError('associate() takes a row or its key; dissociate() clears the relation.')
    await this.write((s, later) => this.pointParent(s, parent, row, type, later), false)
    return parent
  }

  /** Clears the parent's foreign key (and type), in the database and in memory. */
  async dissociate(): Promise<Values> {
    const parent = this.single('dissociate')
    this.expect(OWNER, 'dissociate')
    await this.write((s, later) => this.pointParent(s, parent, null, undefined, later), false)
    return parent
  }

  private async pointParent(session: Session, parent: Values, row: unknown, type: string | undefined, later: Later): Promise<void> {
    const relation = this.owner.relation as BelongsToRelation | MorphToRelation
    const owner = this.ownerCtx(session)
    const changes: Values = {}
    if (row === null) {
      for (const c of relation.foreignKey) changes[c.prop] = null
      if (relation.kind === 'morphTo') changes[relation.morphType.prop] = null
      const notNull = Object.keys(changes).filter((p) => !owner.meta.byProp.get(p)!.config.nullable)
      if (notNull.length) throw new ValidationError(`Cannot dissociate ${relation.table}.${relation.name}: ${owner.meta.name}.${notNull.join(', ')} is NOT NULL.`)
    } else {
      const target = relation.kind === 'morphTo' ? this.morphTarget(row, type) : relation.target
      const ownerKey = this.ownerKeyOf(target)
      const values = isRow(row) ? ownerKey.map((c) => row[c.prop]) : Array.isArray(row) ? row : [row]
      if (values.length !== ownerKey.length || values.some((v) => v === undefined || v === null)) {
        throw new ValidationError(`associate(): the row given has no ${ownerKey.map((c) => `"${c.prop}"`).join(', ')}.`)
      }
      relation.foreignKey.forEach((c, i) => (changes[c.prop] = values[i]))
      if (relation.kind === 'morphTo') changes[relation.morphType.prop] = relation.morphValues.get(target)
    }
    const stored = await updateByKey(owner, keyPredicate({ meta: owner.meta, alias: owner.meta.name }, parent), changes)
    if (!stored) throw new NotFoundError(owner.meta.name, keyValues(owner.meta, parent))
    later(() => {
      Object.assign(parent, changes)
      if (row === null || isRow(row)) parent[relation.name] = row
      else delete parent[relation.name] // only its key was given: not loaded
    })
  }

  /** The table a row given to a morphTo belongs to: the one named, the only one, or the only one whose columns fit the row. */
  private morphTarget(row: unknown, type?: string): string {
    const relation = this.owner.relation as MorphToRelation
    const targets = [...new Set(relation.targets)]
    if (type !== undefined) {
      const key = relation.types.get(type)?.target ?? (targets.includes(type) ? type : undefined)
      if (key === undefined) throw new ValidationError(`${relation.table}.${relation.name} points at ${targets.join(', ')}, not "${type}".`)
      return key
    }
    if (targets.length === 1) return targets[0]
    if (isRow(row)) {
      const tables = this.ctx.schema.meta.tables
      const known = new Set(targets.flatMap((k) => tables.get(k)!.columns.map((c) => c.prop)))
      const props = Object.keys(row).filter((p) => known.has(p))
      const fits = targets.filter((k) => props.every((p) => tables.get(k)!.byProp.has(p)))
      if (fits.length === 1) return fits[0]
    }
    throw new ValidationError(
      `${relation.table}.${relation.name} can point at ${targets.join(', ')} and the row given does not tell which: ` +
        `name its table, e.g. associate(row, '${targets[0]}').`,
    )
  }

  /** The key a belongsTo / morphTo matches on the target table. */
  private ownerKeyOf(target: string): readonly ColumnMeta[] {
    const relation = this.owner.relation as BelongsToRelation | MorphToRelation
    if (relation.kind === 'belongsTo') return relation.ownerKey
    return [...relation.types.values()].find((t) => t.target === target)!.ownerKey
  }

  /** Points the parent at `item` (inserting it first when it is a row without its key), or at nothing. */
  private async linkOwner(session: Session, parent: Values, item: unknown, later: Later): Promise<void> {
    if (item === null) return this.pointParent(session, parent, null, undefined, later)
    const relation = this.owner.relation as BelongsToRelation | MorphToRelation
    const target = relation.kind === 'morphTo' ? this.morphTarget(item) : relation.target
    const row = await this.persisted(session, item, target, this.ownerKeyOf(target), later)
    await this.pointParent(session, parent, row, target, later)
  }

  /** The parent points at one of `items` now (by its in-memory foreign key and type). */
  private pointsAt(parent: Values, items: readonly unknown[]): boolean {
    const { link } = this.owner
    if (link.parentType && parent[link.parentType.column.prop] !== link.parentType.value) return false
    const current = keyOf(link.parentKey.map((c) => parent[c.prop]))
    if (current === undefined) return false
    const ownerKey = this.ownerKeyOf(link.target)
    return items.some((item) => keyOf(isRow(item) ? ownerKey.map((c) => item[c.prop]) : Array.isArray(item) ? item : [item]) === current)
  }

  private ownerCtx(session: Session): QueryContext {
    return this.targetCtx(session, this.owner.parentKey)
  }

  // ---- pivots ---------------------------------------------------------------------------------------

  private get pivotRelation(): PivotRelation {
    return this.owner.relation as PivotRelation
  }

  private relatedKey(row: Values): unknown[] {
    return this.pivotRelation.relatedKey.map((c) => row[c.prop])
  }

  private parentKeyOf(parent: Values): unknown[] {
    return this.owner.link.parentKey.map((c) => parent[c.prop])
  }

  /** Ids, rows, `{ id: pivotValues }`, or a list of ids and rows: the links to write, one per related key (the last wins). */
  private entries(ids: Ids): PivotEntry[] {
    const rk = this.pivotRelation.relatedKey
    const names = rk.map((c) => `"${c.prop}"`).join(', ')
    const one = (item: unknown): PivotEntry => {
      if (isRow(item)) {
        const related = rk.map((c) => item[c.prop])
        if (related.some((v) => v === undefined || v === null)) throw new ValidationError(`A row given to attach/sync has no ${names}.`)
        return { related, values: (item.pivot as Values | undefined) ?? {} }
      }
      const related = Array.isArray(item) ? item : [item]
      if (related.length !== rk.length || related.some((v) => v === undefined || v === null)) {
        throw new ValidationError(`A key of ${this.pivotRelation.target} is ${names}: got ${String(item)}. Pass rows, or key arrays for a composite key.`)
      }
      return { related, values: {} }
    }
    let list: PivotEntry[]
    if (Array.isArray(ids)) list = ids.map(one)
    else if (isRow(ids) && !rk.every((c) => c.prop in ids)) {
      if (rk.length > 1) throw new ValidationError('This relation has a composite key: pass rows or key arrays, not { id: pivotValues }.')
      list = Object.entries(ids).map(([id, values]) => {
        if (values !== undefined && values !== null && !isRow(values)) {
          throw new ValidationError(`attach/sync take ids, rows, or { id: pivotValues }: "${id}" maps to ${typeof values}, not pivot values.`)
        }
        return { related: [coerceKey(id, rk[0])], values: (values ?? {}) as Values }
      })
    } else list = [one(ids)]
    // Pivot columns are checked here, before any statement (the transaction's BEGIN included) is sent.
    const pivotMeta = this.pivotRelation.pivot.meta
    for (const e of list) for (const prop of Object.keys(e.values)) columnOf(pivotMeta, prop)
    return [...new Map(list.map((e) => [keyOf(e.related)!, e])).values()]
  }

  /** Links the parent to these rows; a link that exists already is left as it is (no error, no duplicate). */
  async attach(ids: Ids): Promise<void> {
    this.expect(PIVOT, 'attach')
    const entries = this.entries(ids)
    const parents = this.owner.parents
    if (parents.length === 0 || entries.length === 0) return
    await this.write(async (s) => {
      await this.lockParents(s, parents)
      await insertLinks(s, this.pivotRelation, parents.flatMap((parent) => this.linksFor(parent, entries)))
    })
  }

  /** Unlinks these rows, or every row when called without arguments. Returns how many links went. */
  async detach(ids?: Ids): Promise<number> {
    this.expect(PIVOT, 'detach')
    const related = ids === undefined ? undefined : this.entries(ids).map((e) => e.related)
    const parents = this.owner.parents
    if (parents.length === 0 || related?.length === 0) return 0
    return this.write(async (s) => {
      await this.lockParents(s, parents)
      return deleteLinks(s, this.pivotRelation, parents.map((p) => this.parentKeyOf(p)), related)
    })
  }

  /**
   * Makes the links exactly these (with these pivot values), in one transaction that locks the parent row,
   * so concurrent syncs of one parent end in one of the requested sets. `{ detaching: false }` only adds.
   * On related() of several rows it takes one argument per row and resolves to one result per row, with
   * the same statements as for one: the links of all the rows in one read, one delete, one insert.
   */
  sync(...args: B extends true ? Ids[] : [ids: Ids, options?: { detaching?: boolean }]): Promise<B extends true ? SyncResult[] : SyncResult>
  async sync(...args: unknown[]): Promise<SyncResult | SyncResult[]> {
    this.expect(PIVOT, 'sync')
    const { batch } = this.owner
    if (batch) this.checkArity(args, 'sync')
    const work: [Values, unknown][] = batch ? this.owner.parents.map((p, i) => [p, args[i]]) : [[this.single('sync'), args[0]]]
    const detaching = batch || (args[1] as { detaching?: boolean } | undefined)?.detaching !== false
    const entries = work.map(([parent, ids]) => [parent, this.entries(ids)] as [Values, PivotEntry[]])
    if (entries.length === 0) return []
    const results = await this.write(async (s) => {
      await this.lockParents(s, entries.map(([parent]) => parent))
      return this.syncAll(s, entries, detaching)
    })
    return batch ? results : results[0]
  }

  private linksFor(parent: Values, entries: readonly PivotEntry[]): PivotLink[] {
    const key = this.parentKeyOf(parent)
    return entries.map((e) => ({ parent: key, related: e.related, values: e.values }))
  }

  /** The links of these parents, read after their locks (a locking read inside a caller's transaction, whose snapshot may be older). */
  private links(session: Session, parents: readonly Values[]): Promise<Map<string, Map<string, Values>>> {
    return currentLinks(session, this.pivotRelation, parents.map((p) => this.parentKeyOf(p)), this.ctx.session.inTransaction)
  }

  /**
   * Syncs the links of each parent to its entries: one read of every parent's links, one delete, one insert,
   * and an update per link whose pivot values changed. A parent given twice ends with its last entries.
   */
  private async syncAll(session: Session, work: readonly [Values, PivotEntry[]][], detaching: boolean): Promise<SyncResult[]> {
    const rel = this.pivotRelation
    const last = new Map(work.map(([parent, entries]) => [keyOf(this.parentKeyOf(parent))!, { parent, entries }]))
    const current = await this.links(session, [...last.values()].map((w) => w.parent))
    const byParent = new Map<string, SyncResult>()
    const changes: LinkChanges[] = []
    const attach: PivotLink[] = []
    const update: PivotLink[] = []
    for (const [key, { parent, entries }] of last) {
      const parentKey = this.parentKeyOf(parent)
      const now = current.get(key) ?? new Map<string, Values>()
      const wanted = new Map(entries.map((e) => [keyOf(e.related)!, e]))
      const result: SyncResult = { attached: [], detached: [], updated: [] }
      if (detaching) {
        const change = { parent: parentKey, detach: [] as unknown[][], keep: [] as unknown[][] }
        for (const [k, row] of now) {
          const related = rel.pivotRelatedKey.map((c) => row[c.prop])
          if (wanted.has(k)) change.keep.push(related)
          else {
            change.detach.push(related)
            result.detached.push(unwrap(related))
          }
        }
        changes.push(change)
      }
      for (const [k, e] of wanted) {
        const row = now.get(k)
        if (!row) {
          attach.push({ parent: parentKey, ...e })
          result.attached.push(unwrap(e.related))
        } else if (Object.entries(e.values).some(([prop, v]) => !sameValue(row[prop], v))) {
          update.push({ parent: parentKey, ...e })
          result.updated.push(unwrap(e.related))
        }
      }
      byParent.set(key, result)
    }
    await deleteDetached(session, rel, changes)
    await insertLinks(session, rel, attach)
    for (const link of update) await updateLink(session, rel, link.parent, link.related, link.values)
    return work.map(([parent]) => byParent.get(keyOf(this.parentKeyOf(parent))!)!)
  }

  /** Attaches the missing ones and detaches the present ones. */
  async toggle(ids: Ids): Promise<{ attached: unknown[]; detached: unknown[] }> {
    this.expect(PIVOT, 'toggle')
    const parent = this.single('toggle')
    const entries = this.entries(ids)
    return this.write(async (s) => {
      const rel = this.pivotRelation
      const parentKey = this.parentKeyOf(parent)
      await this.lockParents(s, [parent])
      const current = (await this.links(s, [parent])).get(keyOf(parentKey)!)!
      const present = entries.filter((e) => current.has(keyOf(e.related)!))
      const missing = entries.filter((e) => !current.has(keyOf(e.related)!))
      await deleteLinks(s, rel, [parentKey], present.map((e) => e.related))
      await insertLinks(s, rel, this.linksFor(parent, missing))
      return { attached: missing.map((e) => unwrap(e.related)), detached: present.map((e) => unwrap(e.related)) }
    })
  }

  /** Changes the extra pivot columns of one link. Returns 1 or 0. */
  async updatePivot(id: unknown, values: Values): Promise<number> {
    this.expect(PIVOT, 'updatePivot')
    const parent = this.single('updatePivot')
    const [entry] = this.entries(id)
    return updateLink(this.ctx.session, this.pivotRelation, this.parentKeyOf(parent), entry.related, values)
  }

  /**
   * Locks the parents' rows for the rest of the transaction (SELECT ... FOR UPDATE, in key order): pivot writes
   * of one parent run one after another, and writers of several parents take their locks in the same order.
   * A database without concurrent connections (SQLite) runs one transaction at a time already.
   */
  private async lockParents(session: Session, parents: readonly Values[]): Promise<void> {
    if (!session.core.capabilities.concurrentConnections) return
    const meta = this.ownerCtx(session).meta
    const columns = this.owner.link.parentKey.map((c) => n.column(c.name, meta.name))
    const keys = parentKeys({ ...this.owner, parents }).sort(compareKeys)
    for (const part of chunk(keys, session.core.capabilities.maxParameters / columns.length)) {
      await session.run(
        n.select({
          from: n.table(meta.name),
          columns,
          where: n.in(columns, part.map((values) => values.map((v, i) => valueFor(this.owner.link.parentKey[i], v)))),
          orderBy: columns.map((c) => n.order(c, 'asc')),
          lock: 'update',
        }),
      )
    }
  }

  // ---- GORM's association mode: the same four verbs on every kind -----------------------------------

  /** For a batch, argument i belongs to parent i: the count must match. Checked before anything runs. */
  private checkArity(args: readonly unknown[], verb: string): void {
    const { parents } = this.owner
    if (args.length !== parents.length) {
      throw new ValidationError(`${verb}() on related() of ${parents.length} rows takes ${parents.length} arguments (one per row), got ${args.length}.`)
    }
  }

  /** One list of rows per parent: for a batch, argument i belongs to parent i. Checked before anything runs. */
  private perParent(args: readonly unknown[], verb: string): [Values, unknown[]][] {
    const { parents, batch } = this.owner
    const list = (arg: unknown) => (Array.isArray(arg) ? arg : [arg]).filter((item) => item !== null && item !== undefined)
    if (!batch) return [[parents[0], args.flatMap(list)]]
    this.checkArity(args, verb)
    return parents.map((p, i) => [p, list(args[i])])
  }

  /** The pivot entries of each parent's items; rows without their key are inserted first. */
  private async pivotWork(session: Session, work: readonly [Values, unknown[]][], later: Later): Promise<[Values, PivotEntry[]][]> {
    const out: [Values, PivotEntry[]][] = []
    for (const [parent, items] of work) out.push([parent, await this.pivotEntries(session, items, later)])
    return out
  }

  /** Links these rows (inserting new ones); for a to-one relation it replaces the current one. */
  async append(...args: unknown[]): Promise<void> {
    const work = this.perParent(args, 'append').filter(([, items]) => items.length > 0)
    if (work.length === 0) return
    const { kind, many } = this.owner.relation
    await this.write(async (s, later) => {
      if (PIVOT.has(kind)) {
        await this.lockParents(s, work.map(([parent]) => parent))
        const entries = await this.pivotWork(s, work, later)
        return insertLinks(s, this.pivotRelation, entries.flatMap(([parent, list]) => this.linksFor(parent, list)))
      }
      for (const [parent, items] of work) {
        if (OWNER.has(kind)) await this.linkOwner(s, parent, items[items.length - 1], later)
        else {
          const list = many ? items : items.slice(-1)
          if (!many) await this.unlinkHas(s, parent, list.map((i) => this.asRow(i)).filter((r) => hasKey(this.ctx.meta.primaryKey, r)), undefined)
          await this.saveFor(s, parent, list, false, later)
        }
      }
    })
  }

  /** Links exactly these rows (inserting new ones) and unlinks the rest. */
  async replace(...args: unknown[]): Promise<void> {
    const work = this.perParent(args, 'replace')
    if (work.length === 0) return
    const { kind, many } = this.owner.relation
    await this.write(async (s, later) => {
      if (PIVOT.has(kind)) {
        await this.lockParents(s, work.map(([parent]) => parent))
        await this.syncAll(s, await this.pivotWork(s, work, later), true)
        return
      }
      for (const [parent, items] of work) {
        if (OWNER.has(kind)) await this.linkOwner(s, parent, items.length ? items[items.length - 1] : null, later)
        else {
          const saved = await this.saveFor(s, parent, many ? items : items.slice(-1), false, later)
          await this.unlinkHas(s, parent, saved, undefined)
        }
      }
    })
  }

  /** Unlinks these rows (foreign key to NULL, or pivot row removed); the rows themselves stay. */
  async remove(...args: unknown[]): Promise<void> {
    const work = this.perParent(args, 'remove').filter(([, items]) => items.length > 0)
    if (work.length === 0) return
    const kind = this.owner.relation.kind
    if (PIVOT.has(kind)) {
      const links = work.flatMap(([parent, items]) => this.linksFor(parent, this.entries(items)))
      await this.write(async (s) => {
        await this.lockParents(s, work.map(([parent]) => parent))
        await deletePairs(s, this.pivotRelation, links)
      })
      return
    }
    await this.write(async (s, later) => {
      for (const [parent, items] of work) {
        if (OWNER.has(kind)) {
          if (this.pointsAt(parent, items)) await this.pointParent(s, parent, null, undefined, later)
        } else await this.unlinkHas(s, parent, undefined, items.map((i) => this.asRow(i)))
      }
    })
  }

  /** Unlinks every related row. */
  async clear(): Promise<void> {
    const { parents } = this.owner
    if (parents.length === 0) return
    const kind = this.owner.relation.kind
    await this.write(async (s, later) => {
      if (PIVOT.has(kind)) {
        await this.lockParents(s, parents)
        await deleteLinks(s, this.pivotRelation, parents.map((p) => this.parentKeyOf(p)))
        return
      }
      for (const parent of parents) {
        if (OWNER.has(kind)) await this.pointParent(s, parent, null, undefined, later)
        else await this.unlinkHas(s, parent, undefined, undefined)
      }
    })
  }

  /** The item as a row with its key: a row without one is inserted into `tableKey` first; a bare key is returned as is. */
  private async persisted(session: Session, item: unknown, tableKey: string, key: readonly ColumnMeta[], later: Later): Promise<unknown> {
    if (!isRow(item) || hasKey(key.map((c) => c.prop), item)) return item
    const ctx = this.targetCtx(session, tableKey)
    const { pivot, ...rest } = item
    const values = pivot !== undefined && !ctx.meta.byProp.has('pivot') ? rest : item
    const [stored] = await insertRows(ctx, [values])
    later(() => Object.assign(item, stored))
    return stored
  }

  /** The links to write for rows and ids; rows without their key are inserted first. */
  private async pivotEntries(session: Session, items: readonly unknown[], later: Later): Promise<PivotEntry[]> {
    const list: unknown[] = []
    for (const item of items) {
      const stored = await this.persisted(session, item, this.ctx.tableKey, this.pivotRelation.relatedKey, later)
      list.push(stored !== item && isRow(stored) && isRow(item) ? { ...stored, pivot: item.pivot } : stored)
    }
    return this.entries(list)
  }
}

function isRow(value: unknown): value is Values {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)
}

function hasKey(props: readonly string[], row: Values): boolean {
  return props.length > 0 && props.every((p) => row[p] !== undefined && row[p] !== null)
}

function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]]
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0
    if (order !== 0) return order
  }
  return 0
}

function unwrap(values: readonly unknown[]): unknown {
  return values.length === 1 ? values[0] : values
}

/** An object key of `{ id: pivotValues }` as the key column's value: a number for a numeric key. */
function coerceKey(id: string, column: ColumnMeta): unknown {
  const numeric = column.kind === 'id' || column.kind === 'integer' || column.kind === 'bigint'
  if (!numeric) return id
  if (!/^-?\d+$/.test(id)) throw new ValidationError(`"${id}" is not a key of ${column.prop} (a number): attach/sync take ids, rows, or { id: pivotValues }.`)
  return column.config.mode === 'bigint' ? BigInt(id) : Number(id)
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return a === b || (a != null && b != null && String(a) === String(b))
}
