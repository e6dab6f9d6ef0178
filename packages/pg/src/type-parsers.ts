import { toDate } from '@orm/core'
import pg from 'pg'

const OID = { int8: 20, json: 114, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184, jsonb: 3802 }
const asText = (value: string): string => value
const TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/

/**
 * Timestamp text as PostgreSQL writes it (DateStyle ISO) to a Date. A value without an offset
 * (`timestamp without time zone`) is UTC, never the process's local time.
 */
export function parseTimestamp(text: string): Date | number {
  // The usual form, a timestamptz in a UTC session ('YYYY-MM-DD HH:MM:SS[.fff]+00', a four-digit year), is read
  // digit by digit by core's toDate: three times faster than the regex, and this runs once per value.
  if (text.charCodeAt(4) === 45 && text.endsWith('+00')) return toDate(text.slice(0, -3))
  if (text === 'infinity') return Infinity
  if (text === '-infinity') return -Infinity
  const m = TIMESTAMP.exec(text)
  if (!m) return new Date(NaN)
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1])
  const ms = m[7] ? Math.trunc(Number(m[7]) * 1000) : 0
  const date = new Date(Date.UTC(2000, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms))
  date.setUTCFullYear(year)
  if (m[8]) {
    const offset = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * 1000
    date.setTime(date.getTime() - (m[8] === '-' ? -offset : offset))
  }
  return date
}

const overrides = new Map<number, (value: string) => unknown>([
  [OID.int8, asText],
  [OID.numeric, asText],
  [OID.date, asText],
  [OID.json, asText],
  [OID.jsonb, asText],
  [OID.timestamp, parseTimestamp],
  [OID.timestamptz, parseTimestamp],
])

function getTypeParser(oid: number, format: 'text' | 'binary' = 'text'): (value: string) => unknown {
  if (format === 'text') {
    const parser = overrides.get(oid)
    if (parser) return parser
  }
  return pg.types.getTypeParser(oid, format as 'text')
}

/**
 * Passed with every query, so results do not depend on what an application set in the global `pg.types`:
 * int8 and numeric stay text (no rounding), dates stay 'YYYY-MM-DD', json stays raw text (so a JSON string
 * value is not confused with text), timestamps become Dates in UTC.
 */
export const types = { getTypeParser } as unknown as pg.CustomTypesConfig
