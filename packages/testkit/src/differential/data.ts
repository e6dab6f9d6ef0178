import type { Db } from '@orm/core'
import type { Random } from './random.js'
import { PIVOT_WEIGHT, type ColumnSpec, type DataKind, type SchemaSpec } from './schema.js'

export type Row = Record<string, unknown>
/** The rows of every table, by table key (`links` for the pivot), ids 1..n in insert order. */
export type Dataset = Record<string, Row[]>

const at = (day: number, hour: number, ms: number) => new Date(Date.UTC(2024, 0, day, hour, 0, 0, ms))

/**
 * Small pools, so equalities and ties happen. Strings are lowercase ASCII (every collation the dialects use
 * orders them alike); decimals are chosen so that their text order is not their numeric order.
 */
export const VALUES: { readonly [K in DataKind]: readonly unknown[] } = {
  integer: [-2, 0, 1, 2, 3, 5, 8, 13],
  string: ['', 'a', 'ab', 'abc', 'b', 'ba', 'bb', 'c'],
  boolean: [true, false],
  decimal: ['-10.00', '-1.25', '0.00', '0.50', '2.00', '9.99', '10.00', '100.50'],
  timestamp: [at(1, 0, 0), at(1, 0, 1), at(1, 12, 500), at(2, 3, 999), at(9, 0, 0), new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(2030, 5, 1))],
}
const DELETED_AT = at(20, 0, 0)

function value(rand: Random, c: ColumnSpec, id: number, sizes: Record<string, number>): unknown {
  if (c.prop === 'deletedAt') return rand.chance(0.25) ? DELETED_AT : null
  if (c.nullable && rand.chance(0.25)) return null
  if (c.kind === 'fk') {
    // A self-reference points at an earlier row, so the rows insert in order.
    const max = c.prop === 'parentId' ? id - 1 : sizes[c.target!]
    return max < 1 ? null : rand.int(1, max)
  }
  return rand.pick(VALUES[c.kind as DataKind])
}

export function generateData(spec: SchemaSpec, rand: Random): Dataset {
  const data: Dataset = {}
  const sizes: Record<string, number> = {}
  for (const t of spec.tables) {
    sizes[t.key] = rand.int(5, 14)
    data[t.key] = Array.from({ length: sizes[t.key] }, (_, i) => {
      const row: Row = { id: i + 1 }
      for (const c of t.columns) if (c.kind !== 'id') row[c.prop] = value(rand, c, i + 1, sizes)
      // A NOT NULL foreign key to a table with no rows cannot happen: every table has 5 rows or more.
      return row
    })
  }
  if (spec.pivot) {
    const pairs: [number, number][] = []
    for (let l = 1; l <= sizes[spec.pivot.left]; l++) for (let r = 1; r <= sizes[spec.pivot.right]; r++) pairs.push([l, r])
    data.links = rand.sample(pairs, rand.int(4, Math.min(24, pairs.length))).map(([leftId, rightId]) => ({
      leftId,
      rightId,
      [PIVOT_WEIGHT]: rand.chance(0.25) ? null : rand.pick(VALUES.integer),
    }))
  }
  return data
}

/** A decimal as a user may write it: '2.00' as '2', '0.50' as '0.5' (it reads back as '2.00' and '0.50'). */
export function shortDecimal(value: string): string {
  return value.replace(/\.?0+$/, '')
}

/**
 * Inserts the dataset through the public API, parents first, with explicit ids so every dialect has the same.
 * Every other row writes its decimals short ('2' for '2.00'): they must read back, and compare, the same.
 */
export async function insertData(db: Db<any>, spec: SchemaSpec, data: Dataset): Promise<void> {
  const api = db as any
  for (const t of spec.tables) {
    const decimals = t.columns.filter((c) => c.kind === 'decimal').map((c) => c.prop)
    const rows = data[t.key].map((row, i) => {
      if (i % 2 === 0 || decimals.length === 0) return row
      const short = { ...row }
      for (const prop of decimals) if (typeof short[prop] === 'string') short[prop] = shortDecimal(short[prop] as string)
      return short
    })
    await api[t.key].insert(rows)
  }
  if (spec.pivot && data.links.length) await api.links.insert(data.links)
}
