import type { Codecs, Decoder } from '../driver/codecs.js'
import type { ColumnMeta } from '../schema/table.js'

/** How to turn one result row (an array in select-list order) into an object: built once per query shape. */
export interface ReadPlan {
  readonly props: readonly string[]
  readonly decoders: readonly (Decoder | undefined)[]
  /**
   * Builds the object of one row from its values at `from` on: null stays null, every other value goes through
   * its column's decoder.
   */
  readonly read: (values: readonly unknown[], from: number) => Record<string, unknown>
}

const decoderCache = new WeakMap<Codecs, WeakMap<ColumnMeta, Decoder | null>>()

/** The codec decoder of a column, looked up once per column and dialect. */
export function decoderOf(codecs: Codecs, column: ColumnMeta): Decoder | undefined {
  let perCodecs = decoderCache.get(codecs)
  if (!perCodecs) decoderCache.set(codecs, (perCodecs = new WeakMap()))
  let decoder = perCodecs.get(column)
  if (decoder === undefined) {
    decoder = codecs.decoder(column) ?? null
    perCodecs.set(column, decoder)
  }
  return decoder ?? undefined
}

const listPlans = new WeakMap<Codecs, WeakMap<readonly ColumnMeta[], ReadPlan>>()
const planCache = new WeakMap<Codecs, WeakMap<ColumnMeta, Map<string, ReadPlan>>>()
const columnIds = new WeakMap<ColumnMeta, number>()
let nextColumnId = 0
const noColumns: ReadPlan = { props: [], decoders: [], read: () => ({}) }

/**
 * The plan of a select list, made once per list of columns and dialect (kept under the list's first column, so
 * it goes with its schema). An array seen before is found by identity; a new array of the same columns (a
 * select list built per query) gets the same plan through its column-id key.
 */
export function readPlan(codecs: Codecs, columns: readonly ColumnMeta[]): ReadPlan {
  if (columns.length === 0) return noColumns
  // Most queries read a table's own column list (the same array each time): found without building a key.
  let byList = listPlans.get(codecs)
  if (!byList) listPlans.set(codecs, (byList = new WeakMap()))
  let plan = byList.get(columns)
  if (!plan) byList.set(columns, (plan = planByColumns(codecs, columns)))
  return plan
}

function planByColumns(codecs: Codecs, columns: readonly ColumnMeta[]): ReadPlan {
  let perCodecs = planCache.get(codecs)
  if (!perCodecs) planCache.set(codecs, (perCodecs = new WeakMap()))
  let plans = perCodecs.get(columns[0])
  if (!plans) perCodecs.set(columns[0], (plans = new Map()))
  const key = columns.map(columnId).join(',')
  let plan = plans.get(key)
  if (!plan) plans.set(key, (plan = makePlan(codecs, columns)))
  return plan
}

function columnId(column: ColumnMeta): number {
  let id = columnIds.get(column)
  if (id === undefined) columnIds.set(column, (id = nextColumnId++))
  return id
}

function makePlan(codecs: Codecs, columns: readonly ColumnMeta[]): ReadPlan {
  const props = columns.map((c) => c.prop)
  const decoders = columns.map((c) => decoderOf(codecs, c))
  return { props, decoders, read: rowBuilder(props, decoders) }
}

/**
 * A function that builds one row's object, its properties stored by name in a fixed order. Rows are read by the
 * thousand, and stores of constant names, with each decoder called from its own site, are much cheaper than
 * adding the properties in a loop. The object starts as `{}`, not as an object literal of every property: V8
 * tracks the survival of a literal's objects and, when a young-generation GC happens to run while a result is
 * being read (all of its rows alive), starts allocating them in the old generation for good, which made every
 * later GC slow (eager loads ran 1.5x slower in about a third of the processes). Property names are written as
 * JSON strings, never as code.
 */
function rowBuilder(props: readonly string[], decoders: readonly (Decoder | undefined)[]): ReadPlan['read'] {
  const stores = props.map((prop, i) => {
    const value = decoders[i] ? `(v = values[from + ${i}]) == null ? null : decoders[${i}](v)` : `values[from + ${i}] ?? null`
    return `row[${JSON.stringify(prop)}] = ${value}`
  })
  const body = `let v; const row = {};\n${stores.join(';\n')};\nreturn row`
  return new Function('decoders', `return function read(values, from) { ${body} }`)(decoders) as ReadPlan['read']
}

export function readRows<R = Record<string, unknown>>(rows: readonly unknown[], plan: ReadPlan): R[] {
  const { read } = plan
  const out = new Array<R>(rows.length)
  for (let r = 0; r < rows.length; r++) out[r] = read(rows[r] as unknown[], 0) as R
  return out
}

/** Decodes the values of raw-SQL rows (objects keyed by column name) that no schema describes. */
export function readUnknownRows(rows: readonly unknown[], codecs: Codecs): Record<string, unknown>[] {
  const decode = codecs.decodeUnknown
  if (!decode) return rows as Record<string, unknown>[]
  return rows.map((row) => {
    const obj: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row as Record<string, unknown>)) obj[key] = value == null ? null : decode(value)
    return obj
  })
}
