import { isDeepStrictEqual, inspect } from 'node:util'
import type { ColumnSpec } from './schema.js'

/**
 * Results in one canonical form, so the raw driver's values and the ORM's can be compared: integers as numbers,
 * booleans as booleans, timestamps as ISO strings, keyed by property name. Raw values are converted from
 * whatever the driver gives (1/0, bigint strings, ISO text); ORM values must already be the documented JS
 * types (a boolean is a boolean, a timestamp a Date), or they come out as a visible `{ wrongType }`.
 */
/** 'peer': a peer ORM's rows keyed by property names, values converted leniently like raw's. */
export type Source = 'raw' | 'orm' | 'peer'

export function normalizeRow(row: unknown, columns: readonly ColumnSpec[], source: Source): unknown {
  if (row === undefined || row === null) return null
  const input = row as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const c of columns) {
    const key = source === 'raw' ? c.column : c.prop
    if (!(key in input)) {
      out[c.prop] = { missing: key }
      continue
    }
    out[c.prop] = source === 'raw' ? fromRaw(input[key], c) : fromOrm(input[key], c)
  }
  if (source === 'orm') {
    for (const key of Object.keys(input)) if (!columns.some((c) => c.prop === key)) out[key] = { unexpected: input[key] }
  }
  return out
}

export function normalizeRows(rows: unknown, columns: readonly ColumnSpec[], source: Source): unknown {
  if (!Array.isArray(rows)) return { notAnArray: inspect(rows) }
  return rows.map((row) => normalizeRow(row, columns, source))
}

export function normalizeCount(value: unknown, source: Source): unknown {
  if (source === 'orm') return typeof value === 'number' ? value : { wrongType: typeof value, value: String(value) }
  return Number(value)
}

/** Inserted rows without their ids, plus whether the ids are distinct positive integers ascending in input order. */
export function normalizeInserted(rows: unknown, columns: readonly ColumnSpec[], source: Source): unknown {
  const normalized = normalizeRows(rows, columns, source)
  if (!Array.isArray(normalized)) return normalized
  const ids = normalized.map((r) => (r as Record<string, unknown>).id)
  const idsAscending = ids.every((id, i) => Number.isSafeInteger(id) && (id as number) > 0 && (i === 0 || (id as number) > (ids[i - 1] as number)))
  return {
    idsAscending,
    rows: normalized.map((r) => {
      const { id: _id, ...rest } = r as Record<string, unknown>
      return rest
    }),
  }
}

export function fromRaw(value: unknown, c: ColumnSpec): unknown {
  if (value === null || value === undefined) return null
  switch (c.kind) {
    case 'int':
      return Number(value)
    case 'bool':
      if (value === true || value === 1 || value === 1n || value === '1') return true
      if (value === false || value === 0 || value === 0n || value === '0') return false
      return { notABoolean: String(value) }
    case 'timestamp':
      return new Date(value as string | Date).toISOString()
    case 'string':
      return value
  }
}

export function fromOrm(value: unknown, c: ColumnSpec): unknown {
  if (value === null || value === undefined) return null
  const ok =
    c.kind === 'int' ? Number.isSafeInteger(value)
    : c.kind === 'bool' ? typeof value === 'boolean'
    : c.kind === 'timestamp' ? value instanceof Date && !Number.isNaN(value.getTime())
    : typeof value === 'string'
  if (!ok) return { wrongType: typeof value, value: inspect(value) }
  return c.kind === 'timestamp' ? (value as Date).toISOString() : value
}

/** undefined when equal; else a short description of the first difference. */
export function difference(raw: unknown, orm: unknown): string | undefined {
  if (isDeepStrictEqual(raw, orm)) return undefined
  const path = firstDifference(raw, orm, '')
  const show = (v: unknown) => inspect(v, { depth: 3, breakLength: Infinity }).slice(0, 300)
  return `at ${path.at || '(top)'}: raw ${show(path.raw)} vs ORM ${show(path.orm)}`
}

function firstDifference(a: unknown, b: unknown, at: string): { at: string; raw: unknown; orm: unknown } {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>
    const rb = b as Record<string, unknown>
    if (Array.isArray(a) && a.length !== (b as unknown[]).length) {
      return { at: `${at}.length`, raw: a.length, orm: (b as unknown[]).length }
    }
    for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!isDeepStrictEqual(ra[key], rb[key])) return firstDifference(ra[key], rb[key], `${at}${Array.isArray(a) ? `[${key}]` : `.${key}`}`)
    }
  }
  return { at, raw: a, orm: b }
}
