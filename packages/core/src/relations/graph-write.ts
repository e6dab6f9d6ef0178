import { NotFoundError } from '../errors.js'
import type { Session } from '../driver/session.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { HasRelation, MorphOneRelation } from '../schema/resolved-relation.js'
import type { ColumnMeta, TableMeta } from '../schema/table.js'
import { n } from '../sql/ast.js'
import { chunk } from '../query/chunk.js'
import type { QueryContext } from '../query/context.js'
import { keyPredicate, keyValues } from '../query/keys.js'
import { insertRows, selectRowsByKeys, updateByKey } from '../query/mutations.js'
import { columnOf, valueFor } from '../query/where.js'
import { keyOf } from './eager-load.js'
import {
  columnValues, hasKey, HAS_KINDS, itemsOf, morphOwnerKey, morphTarget, OWNER_KINDS, PIVOT_KINDS, relationInputs, targetOf, valuesOf,
  type RelationInput, type Selection, type Values,
} from './graph-plan.js'
import type { PivotRelation } from './pivot-writes.js'

/** create: new rows are inserted, rows given by key are pointed at. save: rows with a key are updated. */
export type WriteMode = 'create' | 'save'
type Action = 'insert' | 'update' | 'point'

/** One row of a level: what was given, how it is written, the keys the graph sets on it, and what came back. */
interface Item {
  readonly input: Values
  readonly sel: Selection
  action: Action
  /** Foreign keys (and morph types) the graph sets: the parent's key on a child, the owner's key on a row. */
  readonly fixed: Values
  /** The relations of the input to write (read once, when the item is made). */
  readonly entries: readonly RelationInput[]
  /** Relation name -> what was written for it. */
  readonly related: Map<string, unknown>
  stored?: Values
  out?: Values
}

interface Link {
  readonly rel: PivotRelation
  readonly parent: readonly unknown[]
  readonly related: readonly unknown[]
  readonly values: Values
}

/**
 * Writes a graph level by level, in foreign-key order (MikroORM's commit order): a level's owners
 * (belongsTo / morphTo) first, then its rows, one insert for all of them, then its children
 * (has-relations, then pivot targets), each child level again one insert across every parent.
 * Pivot rows wait until every row exists and go last, one insert per relation.
 */
export class GraphWriter {
  private readonly links: Link[] = []

  constructor(
    private readonly session: Session,
    private readonly schema: AnySchema,
    private readonly mode: WriteMode,
  ) {}

  async write(tableKey: string, inputs: readonly Values[], sel: Selection, action: Action): Promise<Values[]> {
    const items = inputs.map((input) => this.item(tableKey, input, sel, action))
    await this.level(tableKey, items)
    await this.flushLinks()
    return items.map((i) => i.out!)
  }

  private item(tableKey: string, input: Values, sel: Selection, action: Action, fixed: Values = {}): Item {
    return { input, sel, action, fixed, entries: relationInputs(this.schema, tableKey, input, sel), related: new Map() }
  }

  private meta(tableKey: string): TableMeta {
    return this.schema.meta.tables.get(tableKey)!
  }

  private ctx(tableKey: string): QueryContext {
    return { session: this.session, schema: this.schema, tableKey, meta: this.meta(tableKey) }
  }

  private async level(tableKey: string, items: Item[]): Promise<void> {
    if (items.length === 0) return
    await this.owners(tableKey, items)
    await this.rows(tableKey, items)
    await this.children(tableKey, items)
    const relations = this.schema.meta.relations.get(tableKey)
    for (const i of items) i.out = assemble(relations, i)
  }

  /** belongsTo / morphTo inputs: written (or found) first, their keys set on the rows that point at them. */
  private async owners(tableKey: string, items: Item[]): Promise<void> {
    const groups = new Map<string, { target: string; pairs: [Item, Item, RelationInput, string | undefined][]; seen: Map<Values, Item> }>()
    for (const parent of items) {
      for (const entry of parent.entries) {
        if (!OWNER_KINDS.has(entry.relation.kind)) continue
        const target = targetOf(entry.relation, parent.input)
        const type = entry.relation.kind === 'morphTo' ? morphTarget(entry.relation, parent.input).type : undefined
        const [input] = itemsOf(entry)
        const key = `${entry.name}\u0000${target}`
        const group = groups.get(key) ?? { target, pairs: [], seen: new Map<Values, Item>() }
        groups.set(key, group)
        // One object given as the owner of several rows is one row.
        const owner = group.seen.get(input) ?? this.item(target, input, entry.sel, hasKey(this.meta(target), input) ? (this.mode === 'create' ? 'point' : 'update') : 'insert')
        group.seen.set(input, owner)
        group.pairs.push([parent, owner, entry, type])
      }
    }
    for (const { target, pairs, seen } of groups.values()) {
      await this.level(target, [...seen.values()])
      for (const [parent, owner, { name, relation }, type] of pairs) {
        const ownerKey = relation.kind === 'morphTo' ? morphOwnerKey(relation, target) : (relation as { ownerKey: readonly ColumnMeta[] }).ownerKey
        const values = valuesOf(owner.stored!, ownerKey, `${relation.table}.${relation.name}`)
        const fk = (relation as { foreignKey: readonly ColumnMeta[] }).foreignKey
        fk.forEach((c, i) => (parent.fixed[c.prop] = values[i]))
        if (relation.kind === 'morphTo') parent.fixed[relation.morphType.prop] = type
        parent.related.set(name, owner.out)
      }
    }
  }

  /** The rows themselves: new ones in one insert, changed ones updated by key, referenced ones read back. */
  private async rows(tableKey: string, items: Item[]): Promise<void> {
    const meta = this.meta(tableKey)
    const ctx = this.ctx(tableKey)
    const inserts = items.filter((i) => i.action === 'insert')
    if (inserts.length) {
      const stored = await insertRows(ctx, uniform(meta, inserts.map((i) => Object.assign(columnValues(meta, i.input), i.fixed))))
      inserts.forEach((i, j) => (i.stored = stored[j]))
    }
    const points: Item[] = []
    for (const i of items) {
      if (i.action === 'insert') continue
      const changes = Object.assign(i.action === 'update' ? updateValues(meta, i.input) : {}, i.fixed)
      if (Object.keys(changes).length === 0) {
        points.push(i)
        continue
      }
      i.stored = (await updateByKey(ctx, livePredicate(meta, i.input), changes)) ?? undefined
      if (!i.stored) throw new NotFoundError(meta.name, keyValues(meta, i.input))
    }
    if (points.length === 0) return
    const keys = points.map((i) => keyValues(meta, i.input))
    const ids = keys.map((key) => keyOf(key)!)
    const unique = new Map(ids.map((id, j) => [id, keys[j]]))
    const found = new Map<string, Values>()
    for (const row of await selectRowsByKeys(ctx, this.session, [...unique.values()])) found.set(keyOf(keyValues(meta, row))!, row)
    points.forEach((i, j) => {
      i.stored = found.get(ids[j])
      if (!i.stored) throw new NotFoundError(meta.name, keys[j])
    })
  }

  /** has-relations, then pivot relations: every parent's children of one relation written as one level. */
  private async children(tableKey: string, items: Item[]): Promise<void> {
    const groups = new Map<string, { entry: RelationInput; pairs: [Item, Item[]][]; level: Item[]; seen: Map<Values, Item> }>()
    for (const parent of items) {
      for (const entry of parent.entries) {
        const { relation } = entry
        const has = HAS_KINDS.has(relation.kind)
        if (!has && !PIVOT_KINDS.has(relation.kind)) continue
        const target = targetOf(relation, parent.input)
        const meta = this.meta(target)
        const fixed = has ? pointer(relation as HasRelation | MorphOneRelation, parent.stored!) : {}
        const group = groups.get(entry.name) ?? { entry, pairs: [], level: [] as Item[], seen: new Map<Values, Item>() }
        groups.set(entry.name, group)
        const kids = itemsOf(entry).map((input) => {
          const keyed = hasKey(meta, input)
          if (has) {
            const kid = this.item(target, input, entry.sel, keyed && this.mode === 'save' ? 'update' : 'insert', Object.assign({}, fixed))
            group.level.push(kid)
            return kid
          }
          // A pivot target given (as one object) to several parents is one row linked to each.
          let kid = group.seen.get(input)
          if (!kid) {
            kid = this.item(target, input, entry.sel, keyed ? 'point' : 'insert')
            group.seen.set(input, kid)
            group.level.push(kid)
          }
          return kid
        })
        group.pairs.push([parent, kids])
      }
    }
    const ordered = [...groups.values()].sort((a, b) => rank(a.entry) - rank(b.entry))
    for (const { entry, pairs, level } of ordered) {
      const { relation, name } = entry
      await this.level(targetOf(relation, pairs[0][0].input), level)
      for (const [parent, kids] of pairs) {
        const outs = PIVOT_KINDS.has(relation.kind) ? this.link(relation as PivotRelation, parent, kids) : kids.map((k) => k.out!)
        parent.related.set(name, relation.many ? outs : outs[0])
      }
    }
  }

  /** Queues the pivot rows that link `parent` to `kids`; returns the kids as written, each with its `pivot`. */
  private link(rel: PivotRelation, parent: Item, kids: readonly Item[]): Values[] {
    const where = `${rel.table}.${rel.name}`
    const parentKey = valuesOf(parent.stored!, rel.parentKey, where)
    return kids.map((k) => {
      const values = (k.input.pivot as Values | undefined) ?? {}
      this.links.push({ rel, parent: parentKey, related: valuesOf(k.stored!, rel.relatedKey, where), values })
      return Object.assign({}, k.out!, { pivot: pivotOut(rel, values) })
    })
  }

  /** Every pivot row of the graph: one insert per relation (and set of pivot columns given), links that exist kept. */
  private async flushLinks(): Promise<void> {
    const groups = new Map<PivotRelation, Map<string, Link[]>>()
    for (const link of this.links) {
      const bySignature = groups.get(link.rel) ?? new Map<string, Link[]>()
      const signature = Object.keys(link.values).filter((k) => link.values[k] !== undefined).sort().join(',')
      const list = bySignature.get(signature)
      if (list) list.push(link)
      else bySignature.set(signature, [link])
      groups.set(link.rel, bySignature)
    }
    for (const [rel, bySignature] of groups) {
      for (const [signature, links] of bySignature) await insertLinkRows(this.session, rel, links, signature ? signature.split(',') : [])
    }
  }
}

/** Has-relations before pivot relations, so pivot rows of new children can point at them. */
function rank(entry: RelationInput): number {
  return HAS_KINDS.has(entry.relation.kind) ? 0 : 1
}

/** The foreign key (and morph type) values that point a child at its parent. */
function pointer(rel: HasRelation | MorphOneRelation, parent: Values): Values {
  const values = valuesOf(parent, rel.localKey, `${rel.table}.${rel.name}`)
  const out: Values = {}
  rel.foreignKey.forEach((c, i) => (out[c.prop] = values[i]))
  if (rel.kind === 'morphOne' || rel.kind === 'morphMany') out[rel.morphType.prop] = rel.morphValue
  return out
}

/** The row as stored, with the relations in input order: written ones as written, skipped ones as given. */
function assemble(relations: ReadonlyMap<string, unknown> | undefined, i: Item): Values {
  const out: Values = Object.assign({}, i.stored)
  if (!relations) return out
  for (const key of Object.keys(i.input)) {
    if (relations.has(key)) out[key] = i.related.has(key) ? i.related.get(key) : i.input[key]
  }
  return out
}

function pivotOut(rel: PivotRelation, values: Values): Values {
  const out: Values = {}
  for (const c of rel.pivotColumns) {
    const def = c.config.default
    out[c.prop] = values[c.prop] !== undefined ? values[c.prop] : def && 'value' in def ? def.value : null
  }
  return out
}

/** The columns an update of `input` sets: those given, but the key. */
function updateValues(meta: TableMeta, input: Values): Values {
  const values = columnValues(meta, input)
  for (const p of meta.primaryKey) delete values[p]
  return values
}

/** The key predicate of a row, limited to rows that are not soft-deleted. */
function livePredicate(meta: TableMeta, row: Values) {
  const predicate = keyPredicate({ meta, alias: meta.name }, row)
  return meta.softDelete ? n.and([predicate, n.isNull(n.column(meta.softDelete.name, meta.name))]) : predicate
}

/**
 * Rows of one insert set the same columns where that changes nothing (a nullable column without a default
 * some rows leave out is NULL either way), so a level is one statement and not one per column set.
 */
function uniform(meta: TableMeta, rows: Values[]): Values[] {
  const fill = meta.columns
    .filter((c) => c.config.nullable && !c.config.default && !c.config.autoIncrement && !c.config.primaryKey)
    .map((c) => c.prop)
    .filter((p) => rows.some((r) => Object.hasOwn(r, p)))
  if (fill.length === 0) return rows
  return rows.map((r) => {
    const out = { ...r }
    for (const p of fill) if (out[p] === undefined) out[p] = null
    return out
  })
}

/** Inserts pivot rows for many parents at once; a link that exists keeps its row (its given pivot columns updated). */
async function insertLinkRows(session: Session, rel: PivotRelation, links: readonly Link[], extraProps: readonly string[]): Promise<void> {
  const meta = rel.pivot.meta
  const morph = rel.kind === 'belongsToMany' ? undefined : { column: rel.morphType, value: rel.morphValue }
  const keyColumns: ColumnMeta[] = [...rel.pivotForeignKey, ...rel.pivotRelatedKey, ...(morph ? [morph.column] : [])]
  const extra = extraProps.map((p) => columnOf(meta, p)).filter((c) => !keyColumns.includes(c))
  const unique = new Map<string, Link>()
  for (const link of links) unique.set(keyOf([...link.parent, ...link.related])!, link)
  const morphValue = morph && valueFor(morph.column, morph.value)
  const rowOf = (link: Link) => {
    const row = rel.pivotForeignKey.map((c, i) => valueFor(c, link.parent[i]))
    rel.pivotRelatedKey.forEach((c, i) => row.push(valueFor(c, link.related[i])))
    if (morphValue) row.push(morphValue)
    for (const c of extra) row.push(valueFor(c, link.values[c.prop]))
    return row
  }
  const columns = [...keyColumns, ...extra]
  for (const part of chunk([...unique.values()], Math.floor(session.core.capabilities.maxParameters / columns.length))) {
    await session.run({
      kind: 'Insert',
      table: n.table(meta.name),
      columns: columns.map((c) => c.name),
      rows: part.map(rowOf),
      onConflict: { columns: keyColumns.map((c) => c.name), update: extra.map((c) => c.name) },
    })
  }
}
