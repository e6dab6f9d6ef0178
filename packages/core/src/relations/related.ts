import { ValidationError } from '../errors.js'
import { runTransaction } from '../driver/transaction.js'
import type { Session } from '../driver/session.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { ColumnMeta } from '../schema/table.js'
import { andAll, n, type ExprNode } from '../sql/ast.js'
import type { QueryContext } from '../query/context.js'
import { keyPredicate, keyValues } from '../query/keys.js'
import { insertRows, updateByKey } from '../query/mutations.js'
import type { InferInsert, Row, TableKey, TableOf } from '../query/types.js'
import { valueFor } from '../query/where.js'
import { keyOf } from './eager-load.js'
import { currentLinks, deleteLinks, insertLinks, updateLink, type PivotEntry, type PivotRelation } from './pivot-writes.js'
import { QueryBuilder } from './query-builder.js'
import { relatedScope, type RelatedOwner } from './related-scope.js'

type Values = Record<string, unknown>
type Ids = unknown | readonly unknown[] | Record<string | number, Values>

export interface SyncResult {
  attached: unknown[]
  detached: unknown[]
  updated: unknown[]
}

const HAS = new Set(['hasOne', 'hasMany', 'morphOne', 'morphMany'])
const PIVOT = new Set(['belongsToMany', 'morphToMany', 'morphedByMany'])
const OWNER = new Set(['belongsTo', 'morphTo'])

/**
 * `db.users.related(user, 'posts')`: a query over the related rows of one parent or several, and the
 * writes that fit the relation's kind (create/save for has-relations, associate for belongsTo,
 * attach/sync for pivots, GORM's append/replace/remove/clear for every kind).
 */
export class RelatedQuery<S extends AnySchema, T extends TableKey<S>, R = Row<S, T>> extends QueryBuilder<S, T, R> {
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

  private transaction<X>(fn: (s: Session) => Promise<X>): Promise<X> {
    return runTransaction(this.ctx.session, (s) => s, fn)
  }

  // ---- has-relations: the foreign key is on the related row ---------------------------------------

  /** The foreign key (and morph type) values that point a related row at `parent`. */
  private pointer(parent: Values): Values {
    const { relation, link } = this.owner
    if (!HAS.has(relation.kind)) return {}
    const values: Values = {}
    const fk = (relation as { foreignKey: readonly ColumnMeta[] }).foreignKey
    fk.forEach((c, i) => (values[c.prop] = parent[link.parentKey[i].prop]))
    if (relation.kind === 'morphOne' || relation.kind === 'morphMany') values[relation.morphType.prop] = relation.morphValue
    return values
  }

  private targetCtx(session: Session): QueryContext {
    return { session, schema: this.ctx.schema, tableKey: this.ctx.tableKey, meta: this.ctx.meta }
  }

  /** Inserts a related row pointing at the parent. */
  async create(values: Partial<InferInsert<TableOf<S, T>>>, pivot?: Values): Promise<Row<S, T>> {
    const parent = this.single('create')
    if (PIVOT.has(this.owner.relation.kind)) {
      return this.transaction(async (s) => {
        const [row] = await insertRows(this.targetCtx(s), [values as Values])
        await this.attachOn(s, parent, [{ related: this.relatedKey(row), values: pivot ?? {} }])
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
    return (await insertRows(this.targetCtx(this.ctx.session), list.map((v) => ({ ...(v as Values), ...this.pointer(parent) })))) as Row<S, T>[]
  }

  /** Inserts a new row, or re-points an existing one (it has its key) at the parent. */
  async save(row: Partial<Row<S, T>>): Promise<Row<S, T>> {
    const [saved] = await this.saveMany([row])
    return saved
  }

  async saveMany(rows: readonly Partial<Row<S, T>>[]): Promise<Row<S, T>[]> {
    const parent = this.single('saveMany')
    this.expect(HAS, 'saveMany')
    return this.transaction((s) => this.saveFor(s, parent, rows as Values[]))
  }

  private async saveFor(session: Session, parent: Values, rows: readonly Values[]): Promise<any[]> {
    const meta = this.ctx.meta
    const ctx = this.targetCtx(session)
    const pointer = this.pointer(parent)
    const out: Values[] = []
    const fresh: { index: number; values: Values }[] = []
    for (const [index, row] of rows.entries()) {
      const hasKey = meta.primaryKey.length > 0 && meta.primaryKey.every((p) => row[p] !== undefined && row[p] !== null)
      if (!hasKey) {
        fresh.push({ index, values: { ...row, ...pointer } })
        continue
      }
      const changes: Values = { ...pointer }
      for (const [prop, value] of Object.entries(row)) if (!meta.primaryKey.includes(prop) && meta.byProp.has(prop)) changes[prop] ??= value
      for (const key of Object.keys(pointer)) changes[key] = pointer[key]
      const stored = await updateByKey(ctx, keyPredicate({ meta, alias: meta.name }, row), changes)
      if (!stored) throw new ValidationError(`save(): no ${meta.name} row has the key of the row given.`)
      out[index] = stored
      Object.assign(row, stored)
    }
    const inserted = await insertRows(ctx, fresh.map((f) => f.values))
    fresh.forEach((f, i) => {
      out[f.index] = inserted[i]
      Object.assign(rows[f.index], inserted[i])
    })
    return out
  }

  /** Sets the foreign key of related rows to NULL (unlink); a NOT NULL foreign key is an error, never a delete. */
  private async unlinkHas(session: Session, parent: Values, keep: readonly Values[] | undefined, only: readonly Values[] | undefined): Promise<number> {
    const { relation } = this.owner
    const fk = (relation as { foreignKey: readonly ColumnMeta[] }).foreignKey
    const notNull = fk.filter((c) => !c.config.nullable)
    if (notNull.length) {
      throw new ValidationError(
        `Cannot unlink ${relation.table}.${relation.name}: ${this.ctx.meta.name}.${notNull.map((c) => c.prop).join(', ')} is NOT NULL. ` +
          `Delete the rows with related(...).delete() instead, or make the column nullable.`,
      )
    }
    const meta = this.ctx.meta
    const scope = relatedScope({ ...this.owner, parents: [parent] }, meta.name)
    const keys = (rows: readonly Values[]) => rows.map((r) => keyValues(meta, r))
    const pk = meta.primaryKey.map((p) => n.column(meta.byProp.get(p)!.name, meta.name))
    const inKeys = (rows: readonly Values[]) => n.in(pk, keys(rows).map((vals) => vals.map((v, i) => valueFor(meta.byProp.get(meta.primaryKey[i]), v))))
    const where = andAll([scope, only ? inKeys(only) : undefined, keep && keep.length ? n.not(inKeys(keep)) : undefined])
    const set = fk.map((c) => ({ column: c.name, value: n.value(null) }))
    if (relation.kind === 'morphOne' || relation.kind === 'morphMany') {
      if (!relation.morphType.config.nullable) throw new ValidationError(`Cannot unlink ${relation.table}.${relation.name}: ${this.ctx.meta.name}.${relation.morphType.prop} is NOT NULL.`)
      set.push({ column: relation.morphType.name, value: n.value(null) })
    }
    const result = await session.run({ kind: 'Update', table: n.table(meta.name), set, where })
    return result.affectedRows
  }

  // ---- belongsTo / morphTo: the foreign key is on the parent ----------------------------------------

  /** Points the parent at `row` (writes the foreign key, and the type for a morphTo) and sets it in memory. */
  async associate(row: Values): Promise<Values> {
    const parent = this.single('associate')
    this.expect(OWNER, 'associate')
    await this.pointParent(this.ctx.session, parent, row)
    return parent
  }

  /** Clears the parent's foreign key (and type), in the database and in memory. */
  async dissociate(): Promise<Values> {
    const parent = this.single('dissociate')
    this.expect(OWNER, 'dissociate')
    await this.pointParent(this.ctx.session, parent, null)
    return parent
  }

  private async pointParent(session: Session, parent: Values, row: Values | null): Promise<void> {
    const { relation } = this.owner
    const owner = this.ownerCtx(session)
    const changes: Values = {}
    if (relation.kind === 'belongsTo') {
      relation.foreignKey.forEach((c, i) => (changes[c.prop] = row ? row[relation.ownerKey[i].prop] : null))
    } else if (relation.kind === 'morphTo') {
      if (row) {
        const target = [...relation.types.values()].find((t) => t.target === this.ctx.tableKey)
        const type = relation.morphValues.get(this.ctx.tableKey)
        if (!target || type === undefined) throw new ValidationError(`associate(): ${relation.table}.${relation.name} cannot point at ${this.ctx.tableKey}.`)
        relation.foreignKey.forEach((c, i) => (changes[c.prop] = row[target.ownerKey[i].prop]))
        changes[relation.morphType.prop] = type
      } else {
        relation.foreignKey.forEach((c) => (changes[c.prop] = null))
        changes[relation.morphType.prop] = null
      }
    }
    if (row === null) {
      const notNull = Object.keys(changes).filter((p) => !owner.meta.byProp.get(p)!.config.nullable)
      if (notNull.length) throw new ValidationError(`Cannot dissociate ${relation.table}.${relation.name}: ${owner.meta.name}.${notNull.join(', ')} is NOT NULL.`)
    }
    for (const value of Object.values(changes)) {
      if (row && (value === undefined || value === null)) throw new ValidationError(`associate(): the row given has no key.`)
    }
    await updateByKey(owner, keyPredicate({ meta: owner.meta, alias: owner.meta.name }, parent), changes)
    Object.assign(parent, changes)
    parent[relation.name] = row
  }

  private ownerCtx(session: Session): QueryContext {
    const key = this.owner.parentKey
    return { session, schema: this.ctx.schema, tableKey: key, meta: this.ctx.schema.meta.tables.get(key)! }
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

  /** Ids, rows, `{ id: pivotValues }`, or a mix in a list: the links to write. */
  private entries(ids: Ids): PivotEntry[] {
    const rk = this.pivotRelation.relatedKey
    const one = (item: unknown): PivotEntry => {
      if (item !== null && typeof item === 'object' && !(item instanceof Date)) {
        const row = item as Values
        const related = rk.map((c) => row[c.prop])
        if (related.some((v) => v === undefined || v === null)) throw new ValidationError(`A row given to attach/sync has no ${rk.map((c) => c.prop).join(', ')}.`)
        return { related, values: (row.pivot as Values | undefined) ?? {} }
      }
      if (rk.length > 1) throw new ValidationError('This relation has a composite key: pass rows or key arrays.')
      return { related: [item], values: {} }
    }
    if (Array.isArray(ids)) return ids.map((item) => (Array.isArray(item) ? { related: item, values: {} } : one(item)))
    if (ids !== null && typeof ids === 'object' && !(ids instanceof Date)) {
      const record = ids as Values
      const isRow = rk.every((c) => c.prop in record)
      if (isRow) return [one(record)]
      return Object.entries(record).map(([id, values]) => ({ related: [coerceKey(id, rk[0])], values: (values ?? {}) as Values }))
    }
    return [one(ids)]
  }

  private async attachOn(session: Session, parent: Values, entries: PivotEntry[]): Promise<void> {
    await insertLinks(session, this.pivotRelation, this.parentKeyOf(parent), entries)
  }

  /** Links the parent to these rows; a link that exists already is left alone. */
  async attach(ids: Ids): Promise<void> {
    this.expect(PIVOT, 'attach')
    const entries = this.entries(ids)
    const parents = this.owner.parents
    if (parents.length === 0 || entries.length === 0) return
    await this.transaction(async (s) => {
      for (const parent of parents) await this.attachOn(s, parent, entries)
    })
  }

  /** Unlinks these rows, or every row when called without arguments. Returns how many links went. */
  async detach(ids?: Ids): Promise<number> {
    this.expect(PIVOT, 'detach')
    const related = ids === undefined ? undefined : this.entries(ids).map((e) => e.related)
    let total = 0
    for (const parent of this.owner.parents) total += await deleteLinks(this.ctx.session, this.pivotRelation, this.parentKeyOf(parent), related)
    return total
  }

  /**
   * Makes the links exactly these (with these pivot values), in one transaction that locks the parent row,
   * so concurrent syncs of one parent end in one of the requested sets.
   */
  async sync(ids: Ids, options: { detaching?: boolean } = {}): Promise<SyncResult> {
    this.expect(PIVOT, 'sync')
    const parent = this.single('sync')
    const entries = this.entries(ids)
    return this.transaction((s) => this.syncOn(s, parent, entries, options.detaching !== false))
  }

  private async syncOn(session: Session, parent: Values, entries: PivotEntry[], detaching: boolean): Promise<SyncResult> {
    const rel = this.pivotRelation
    const parentKey = this.parentKeyOf(parent)
    await this.lockParent(session, parent)
    const current = await currentLinks(session, rel, parentKey)
    const wanted = new Map(entries.map((e) => [keyOf(e.related)!, e]))
    const result: SyncResult = { attached: [], detached: [], updated: [] }
    const detach = detaching ? [...current.entries()].filter(([k]) => !wanted.has(k)) : []
    if (detach.length) {
      const related = detach.map(([, row]) => rel.pivotRelatedKey.map((c) => row[c.prop]))
      await deleteLinks(session, rel, parentKey, related)
      result.detached.push(...related.map(unwrap))
    }
    const attach = [...wanted.entries()].filter(([k]) => !current.has(k)).map(([, e]) => e)
    await insertLinks(session, rel, parentKey, attach)
    result.attached.push(...attach.map((e) => unwrap(e.related)))
    for (const [k, e] of wanted) {
      const row = current.get(k)
      if (!row || Object.keys(e.values).length === 0) continue
      const changed = Object.entries(e.values).some(([prop, v]) => !sameValue(row[prop], v))
      if (changed) {
        await updateLink(session, rel, parentKey, e.related, e.values)
        result.updated.push(unwrap(e.related))
      }
    }
    return result
  }

  /** Attaches the missing ones and detaches the present ones. */
  async toggle(ids: Ids): Promise<{ attached: unknown[]; detached: unknown[] }> {
    this.expect(PIVOT, 'toggle')
    const parent = this.single('toggle')
    const entries = this.entries(ids)
    return this.transaction(async (s) => {
      const rel = this.pivotRelation
      const parentKey = this.parentKeyOf(parent)
      await this.lockParent(s, parent)
      const current = await currentLinks(s, rel, parentKey)
      const present = entries.filter((e) => current.has(keyOf(e.related)!))
      const missing = entries.filter((e) => !current.has(keyOf(e.related)!))
      await deleteLinks(s, rel, parentKey, present.map((e) => e.related))
      await insertLinks(s, rel, parentKey, missing)
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

  /** Takes a row lock on the parent for the rest of the transaction (serializes syncs of one parent). */
  private async lockParent(session: Session, parent: Values): Promise<void> {
    const owner = this.ownerCtx(session)
    const pk = owner.meta.primaryKey
    if (pk.length === 0) return
    await session.run(
      n.select({
        from: n.table(owner.meta.name),
        columns: pk.map((p) => n.column(owner.meta.byProp.get(p)!.name, owner.meta.name)),
        where: keyPredicate({ meta: owner.meta, alias: owner.meta.name }, parent),
        lock: 'update',
      }),
    )
  }

  // ---- GORM's association mode: the same four verbs on every kind -----------------------------------

  /** One argument list per parent: for a batch, argument i belongs to parent i. */
  private perParent(args: readonly unknown[], verb: string): [Values, Values[]][] {
    const { parents, batch } = this.owner
    if (!batch) return parents.length ? [[parents[0], args.flat() as Values[]]] : []
    if (args.length !== parents.length) {
      throw new ValidationError(`${verb}() on related() of ${parents.length} rows takes ${parents.length} arguments (one per row), got ${args.length}.`)
    }
    return parents.map((p, i) => [p, (Array.isArray(args[i]) ? args[i] : [args[i]]) as Values[]])
  }

  /** Links these rows (inserting new ones); for a to-one relation it replaces the current one. */
  async append(...args: unknown[]): Promise<void> {
    const kind = this.owner.relation.kind
    await this.transaction(async (s) => {
      for (const [parent, rows] of this.perParent(args, 'append')) {
        if (rows.length === 0) continue
        if (OWNER.has(kind)) await this.pointParent(s, parent, await this.persisted(s, rows[rows.length - 1]))
        else if (PIVOT.has(kind)) await this.attachOn(s, parent, await this.pivotEntries(s, rows))
        else {
          if (!this.owner.relation.many) await this.unlinkHas(s, parent, rows.filter(hasKeyOf(this.ctx.meta)), undefined)
          await this.saveFor(s, parent, rows)
        }
      }
    })
  }

  /** Links exactly these rows and unlinks the rest. */
  async replace(...args: unknown[]): Promise<void> {
    const kind = this.owner.relation.kind
    await this.transaction(async (s) => {
      for (const [parent, rows] of this.perParent(args, 'replace')) {
        if (OWNER.has(kind)) await this.pointParent(s, parent, rows.length ? await this.persisted(s, rows[rows.length - 1]) : null)
        else if (PIVOT.has(kind)) await this.syncOn(s, parent, await this.pivotEntries(s, rows), true)
        else {
          const saved = await this.saveFor(s, parent, rows)
          await this.unlinkHas(s, parent, saved, undefined)
        }
      }
    })
  }

  /** Unlinks these rows (foreign key to NULL, or pivot row removed); the rows themselves stay. */
  async remove(...args: unknown[]): Promise<void> {
    const kind = this.owner.relation.kind
    await this.transaction(async (s) => {
      for (const [parent, rows] of this.perParent(args, 'remove')) {
        if (rows.length === 0) continue
        if (OWNER.has(kind)) {
          const current = this.owner.link.parentKey.map((c) => parent[c.prop])
          const hit = rows.some((r) => keyOf(this.owner.link.match('x').map((_, i) => r[ownerKeyProp(this.owner, i)])) === keyOf(current))
          if (hit) await this.pointParent(s, parent, null)
        } else if (PIVOT.has(kind)) await deleteLinks(s, this.pivotRelation, this.parentKeyOf(parent), (await this.pivotEntries(s, rows, false)).map((e) => e.related))
        else await this.unlinkHas(s, parent, undefined, rows)
      }
    })
  }

  /** Unlinks every related row. */
  async clear(): Promise<void> {
    const kind = this.owner.relation.kind
    await this.transaction(async (s) => {
      for (const parent of this.owner.parents) {
        if (OWNER.has(kind)) await this.pointParent(s, parent, null)
        else if (PIVOT.has(kind)) await deleteLinks(s, this.pivotRelation, this.parentKeyOf(parent))
        else await this.unlinkHas(s, parent, undefined, undefined)
      }
    })
  }

  /** A row with its key: inserted first when it has none. */
  private async persisted(session: Session, row: Values): Promise<Values> {
    if (hasKeyOf(this.ctx.meta)(row)) return row
    const [stored] = await insertRows(this.targetCtx(session), [row])
    Object.assign(row, stored)
    return row
  }

  private async pivotEntries(session: Session, rows: readonly Values[], insertNew = true): Promise<PivotEntry[]> {
    const out: PivotEntry[] = []
    for (const row of rows) {
      if (row === null || typeof row !== 'object') {
        out.push(...this.entries(row))
        continue
      }
      const stored = insertNew ? await this.persisted(session, row) : row
      out.push({ related: this.relatedKey(stored), values: (row.pivot as Values | undefined) ?? {} })
    }
    return out
  }
}

function hasKeyOf(meta: { primaryKey: readonly string[] }) {
  return (row: Values) => meta.primaryKey.length > 0 && meta.primaryKey.every((p) => row[p] !== undefined && row[p] !== null)
}

function ownerKeyProp(owner: RelatedOwner, i: number): string {
  const rel = owner.relation
  if (rel.kind === 'belongsTo') return rel.ownerKey[i].prop
  if (rel.kind === 'morphTo') return [...rel.types.values()].find((t) => t.target === owner.link.target)!.ownerKey[i].prop
  return ''
}

function unwrap(values: readonly unknown[]): unknown {
  return values.length === 1 ? values[0] : values
}

function coerceKey(id: string, column: ColumnMeta): unknown {
  const numeric = column.kind === 'id' || column.kind === 'integer' || column.kind === 'bigint'
  return numeric && /^-?\d+$/.test(id) ? Number(id) : id
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return a === b || (a != null && b != null && String(a) === String(b))
}

