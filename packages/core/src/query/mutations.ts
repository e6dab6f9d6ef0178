import { randomUUID } from 'node:crypto'
import { ValidationError } from '../errors.js'
import { runTransaction } from '../driver/transaction.js'
import type { Session } from '../driver/session.js'
import type { ColumnMeta, TableMeta } from '../schema/table.js'
import { andAll, n, type ExprNode, type InsertNode } from '../sql/ast.js'
import { SqlFragment } from '../sql/sql-template.js'
import { chunk } from './chunk.js'
import { scopeOf, type QueryContext } from './context.js'
import { keyString, keysIn, keyValues } from './keys.js'
import { readPlan, readRows } from './row-reader.js'
import { columnOf, valueFor } from './where.js'

type Values = Record<string, unknown>

/**
 * The value written for a column left out of an insert, when the ORM makes it (timestamps, uuids, literal
 * defaults). The timestamps are the table's (model()'s columns, or those the `timestamps` option names).
 */
function defaultFor(meta: TableMeta, column: ColumnMeta, now: Date): unknown {
  if (column === meta.createdAt || column === meta.updatedAt) return now
  const def = column.config.default
  if (!def) return undefined
  if ('now' in def) return column.kind === 'date' ? now.toISOString().slice(0, 10) : now
  if ('random' in def) return randomUUID()
  return def.value instanceof SqlFragment ? undefined : def.value
}

/** Checks every key against the schema and fills what the ORM fills. Returns props in a fixed order. */
export function prepareInsertRow(meta: TableMeta, input: Values, now: Date): Values {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(`insert into "${meta.name}" takes an object (or an array of objects) of column values.`)
  }
  for (const prop of Object.keys(input)) columnOf(meta, prop)
  const row: Values = {}
  for (const column of meta.columns) {
    let value = input[column.prop]
    if (value === undefined) value = defaultFor(meta, column, now)
    if (value !== undefined) row[column.prop] = value
  }
  return row
}

function prepareUpdate(meta: TableMeta, values: Values, now: Date): { column: string; value: ExprNode }[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new ValidationError(`update of "${meta.name}" takes an object of column values.`)
  }
  const set: { column: string; value: ExprNode }[] = []
  for (const [prop, value] of Object.entries(values)) {
    if (value === undefined) continue
    const column = columnOf(meta, prop)
    set.push({ column: column.name, value: valueFor(column, value) })
  }
  const updatedAt = meta.updatedAt
  if (updatedAt && values[updatedAt.prop] === undefined) set.push({ column: updatedAt.name, value: valueFor(updatedAt, now) })
  return set
}

/** Runs `fn` atomically: in a transaction (or savepoint) when it takes more than one statement. */
function atomically<T>(session: Session, statements: number, fn: (session: Session) => Promise<T>): Promise<T> {
  if (statements <= 1) return fn(session)
  return runTransaction(session, (s) => s, fn)
}

/**
 * Inserts rows and returns them as stored, with generated ids, in input order. Rows are grouped by the
 * columns they set and split by the dialect's parameter limit; more than one statement runs in a transaction.
 */
export async function insertRows(ctx: QueryContext, inputs: readonly Values[]): Promise<Values[]> {
  if (inputs.length === 0) return []
  const { meta, session } = ctx
  const now = new Date()
  const rows = inputs.map((input) => prepareInsertRow(meta, input, now))
  const caps = session.core.capabilities
  const groups = new Map<string, { props: string[]; indexes: number[] }>()
  rows.forEach((row, i) => {
    const props = Object.keys(row)
    const signature = props.join(',')
    const group = groups.get(signature)
    if (group) group.indexes.push(i)
    else groups.set(signature, { props, indexes: [i] })
  })

  const auto = meta.autoIncrement
  const needsIds = (props: string[]) => auto !== undefined && !props.includes(auto.prop)
  const plans: { props: string[]; indexes: number[]; perRow: boolean }[] = []
  for (const { props, indexes } of groups.values()) {
    const perRow = props.length === 0 || (!caps.returning.insert && needsIds(props) && !caps.consecutiveInsertIds)
    const size = perRow ? 1 : Math.floor(caps.maxParameters / props.length)
    for (const part of chunk(indexes, size)) plans.push({ props, indexes: part, perRow })
  }

  const out = new Array<Values>(rows.length)
  await atomically(session, plans.length, async (s) => {
    for (const plan of plans) {
      const columns = plan.props.map((p) => columnOf(meta, p))
      const node: InsertNode = {
        kind: 'Insert',
        table: n.table(meta.name),
        columns: columns.map((c) => c.name),
        rows: plan.indexes.map((i) => columns.map((c) => valueFor(c, rows[i][c.prop]))),
        returning: caps.returning.insert ? meta.columns.map((c) => c.name) : undefined,
      }
      const result = await s.run(node)
      if (caps.returning.insert) {
        const read = readRows<Values>(result.rows, readPlan(s.core.dialect.codecs, meta.columns))
        plan.indexes.forEach((i, j) => (out[i] = read[j]))
        continue
      }
      plan.indexes.forEach((i, j) => {
        const row = { ...rows[i] }
        if (auto && needsIds(plan.props)) {
          if (result.insertId === undefined) throw new ValidationError(`The driver reported no id for the insert into "${meta.name}".`)
          row[auto.prop] = Number(result.insertId) + j
        }
        out[i] = row
      })
    }
    if (!caps.returning.insert && meta.primaryKey.length > 0) await reselect(ctx, s, out)
  })
  return out
}

/** Without RETURNING: read the inserted rows back by key, so defaults and types are exactly as stored. */
async function reselect(ctx: QueryContext, session: Session, rows: Values[]): Promise<void> {
  const { meta } = ctx
  const keys = rows.map((row) => keyValues(meta, row))
  const found = await selectByKeys(ctx, session, keys)
  rows.forEach((row, i) => {
    const stored = found.get(keyString(keys[i]))
    if (stored) rows[i] = stored
  })
}

/** Reads rows by primary key, in chunks that fit the parameter limit; the rows found, in no particular order. */
export async function selectRowsByKeys(ctx: QueryContext, session: Session, keys: unknown[][]): Promise<Values[]> {
  const { meta } = ctx
  const scope = scopeOf(ctx)
  const plan = readPlan(session.core.dialect.codecs, meta.columns)
  const rows: Values[] = []
  const size = Math.floor(session.core.capabilities.maxParameters / Math.max(1, meta.primaryKey.length))
  for (const part of chunk(keys, size)) {
    const result = await session.run(
      n.select({ from: n.table(meta.name), columns: meta.columns.map((c) => n.column(c.name, meta.name)), where: keysIn(scope, part) }),
    )
    for (const row of readRows<Values>(result.rows, plan)) rows.push(row)
  }
  return rows
}

/** Reads rows by primary key, keyed by keyString of their key. */
export async function selectByKeys(ctx: QueryContext, session: Session, keys: unknown[][]): Promise<Map<string, Values>> {
  const found = new Map<string, Values>()
  for (const row of await selectRowsByKeys(ctx, session, keys)) found.set(keyString(keyValues(ctx.meta, row)), row)
  return found
}

export interface UpsertOptions {
  /** The unique columns that identify a row (default: the primary key). */
  conflict?: readonly string[]
  /** Columns to overwrite when the row exists (default: every given column but the conflict ones); [] keeps it. */
  update?: readonly string[]
}

/** Inserts rows, or updates the existing ones that match `conflict`; returns the rows as stored, in input order. */
export async function upsertRows(ctx: QueryContext, inputs: readonly Values[], options: UpsertOptions = {}): Promise<Values[]> {
  if (inputs.length === 0) return []
  const { meta, session } = ctx
  const now = new Date()
  const conflict = (options.conflict ?? meta.primaryKey).map((p) => columnOf(meta, p))
  if (conflict.length === 0) throw new ValidationError(`upsert into "${meta.name}" needs conflict columns (the table has no primary key).`)
  const rows = inputs.map((input) => prepareInsertRow(meta, input, now))
  const props = Object.keys(rows[0])
  for (const row of rows) {
    if (Object.keys(row).join(',') !== props.join(',')) {
      throw new ValidationError(`Every row of one upsert into "${meta.name}" must set the same columns.`)
    }
    for (const c of conflict) {
      if (row[c.prop] === undefined) throw new ValidationError(`upsert into "${meta.name}": every row needs a value for conflict column "${c.prop}".`)
    }
  }
  const columns = props.map((p) => columnOf(meta, p))
  const conflictProps = new Set(conflict.map((c) => c.prop))
  let update = (options.update ?? props.filter((p) => !conflictProps.has(p) && p !== meta.createdAt?.prop)).map((p) => columnOf(meta, p))
  if (update.length > 0 && meta.updatedAt && !update.includes(meta.updatedAt) && props.includes(meta.updatedAt.prop)) {
    update = [...update, meta.updatedAt]
  }
  const caps = session.core.capabilities
  const useReturning = caps.returning.insert && caps.upsertTarget && update.length > 0
  const plans = chunk(rows, Math.floor(caps.maxParameters / columns.length))

  return atomically(session, plans.length + 1, async (s) => {
    const stored: Values[] = []
    for (const part of plans) {
      const node: InsertNode = {
        kind: 'Insert',
        table: n.table(meta.name),
        columns: columns.map((c) => c.name),
        rows: part.map((row) => columns.map((c) => valueFor(c, row[c.prop]))),
        onConflict: { columns: conflict.map((c) => c.name), update: update.map((c) => c.name) },
        returning: useReturning ? meta.columns.map((c) => c.name) : undefined,
      }
      const result = await s.run(node)
      if (useReturning) stored.push(...readRows<Values>(result.rows, readPlan(s.core.dialect.codecs, meta.columns)))
    }
    const keyOf = (row: Values) => keyString(conflict.map((c) => normalizeKey(row[c.prop])))
    const byKey = new Map<string, Values>()
    if (useReturning) {
      for (const row of stored) byKey.set(keyOf(row), row)
    } else {
      const scope = scopeOf(ctx)
      const plan = readPlan(s.core.dialect.codecs, meta.columns)
      for (const part of chunk(rows, Math.floor(caps.maxParameters / conflict.length))) {
        const where = n.in(
          conflict.map((c) => n.column(c.name, scope.alias)),
          part.map((row) => conflict.map((c) => valueFor(c, row[c.prop]))),
        )
        const result = await s.run(n.select({ from: n.table(meta.name), columns: meta.columns.map((c) => n.column(c.name, meta.name)), where }))
        for (const row of readRows<Values>(result.rows, plan)) byKey.set(keyOf(row), row)
      }
    }
    return rows.map((row) => byKey.get(keyOf(row)) ?? row)
  })
}

/** Keys compare as the database returns them: dates by time, numbers and numeric strings alike. */
function normalizeKey(value: unknown): unknown {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') return String(value)
  return value
}

export async function updateWhere(ctx: QueryContext, where: ExprNode | undefined, values: Values): Promise<number> {
  const set = prepareUpdate(ctx.meta, values, new Date())
  if (set.length === 0) return 0
  const result = await ctx.session.run({ kind: 'Update', table: n.table(ctx.meta.name), set, where })
  return result.affectedRows
}

/** Updates one row by key and returns it as stored (null when no row has that key). */
export async function updateByKey(ctx: QueryContext, where: ExprNode, values: Values): Promise<Values | null> {
  const { meta, session } = ctx
  const set = prepareUpdate(meta, values, new Date())
  const caps = session.core.capabilities
  const plan = readPlan(session.core.dialect.codecs, meta.columns)
  const select = () =>
    session.run(n.select({ from: n.table(meta.name), columns: meta.columns.map((c) => n.column(c.name, meta.name)), where }))
  if (set.length === 0) return readRows<Values>((await select()).rows, plan)[0] ?? null
  if (caps.returning.update) {
    const result = await session.run({ kind: 'Update', table: n.table(meta.name), set, where, returning: meta.columns.map((c) => c.name) })
    return readRows<Values>(result.rows, plan)[0] ?? null
  }
  return atomically(session, 2, async (s) => {
    await s.run({ kind: 'Update', table: n.table(meta.name), set, where })
    const result = await s.run(n.select({ from: n.table(meta.name), columns: meta.columns.map((c) => n.column(c.name, meta.name)), where }))
    return readRows<Values>(result.rows, plan)[0] ?? null
  })
}

export async function deleteWhere(ctx: QueryContext, where: ExprNode | undefined, force: boolean): Promise<number> {
  const soft = ctx.meta.softDelete
  if (soft && !force) {
    const set = [{ column: soft.name, value: valueFor(soft, new Date()) }]
    const live = andAll([where, n.isNull(n.column(soft.name, ctx.meta.name))])
    const result = await ctx.session.run({ kind: 'Update', table: n.table(ctx.meta.name), set, where: live })
    return result.affectedRows
  }
  const result = await ctx.session.run({ kind: 'Delete', table: n.table(ctx.meta.name), where })
  return result.affectedRows
}

export async function restoreWhere(ctx: QueryContext, where: ExprNode | undefined): Promise<number> {
  const soft = ctx.meta.softDelete
  if (!soft) throw new ValidationError(`Table "${ctx.meta.name}" does not soft-delete, so there is nothing to restore.`)
  const result = await ctx.session.run({
    kind: 'Update',
    table: n.table(ctx.meta.name),
    set: [{ column: soft.name, value: n.value(null) }],
    where,
  })
  return result.affectedRows
}
