import {
  dateToIso, parseJson, toBigInt, toBoolean, toDate, toDateString, toDecimalString, toSafeNumber,
  type ColumnConfig, type ColumnKind, type Codecs, type Decoder,
} from '@orm/core'
import { normalizeDecimal } from './decimal.js'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER)

/**
 * better-sqlite3 binds only numbers, strings, bigints, Buffers and null (a boolean or a Date THROWS), and the
 * statements run with safeIntegers(true), so every INTEGER arrives as a BigInt and is narrowed here.
 */
export const sqliteCodecs: Codecs = {
  encode(value: unknown, kind?: ColumnKind): unknown {
    if (value === undefined || value === null) return null
    if (kind === 'json') return JSON.stringify(value) ?? null
    if (typeof value === 'boolean') return value ? 1 : 0
    if (value instanceof Date) return kind === 'date' ? toDateString(value) : dateToIso(value)
    if (value instanceof Uint8Array) {
      return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    }
    // A decimal stays text: a number bound to a TEXT column would be stored with its float rounding.
    if (kind === 'decimal' && (typeof value === 'number' || typeof value === 'bigint')) return String(value)
    return value
  },

  decoder(column: { readonly kind: ColumnKind; readonly config: ColumnConfig }): Decoder | undefined {
    switch (column.kind) {
      case 'id': case 'integer': case 'bigint':
        return column.config.mode === 'bigint' ? toBigInt : toSafeNumber
      case 'float':
        return (value) => (typeof value === 'bigint' ? Number(value) : value)
      case 'boolean':
        return toBoolean
      case 'timestamp':
        return toDate
      case 'json':
        return parseJson
      case 'decimal': {
        const scale = column.config.scale
        return scale === undefined ? toDecimalString : (value) => normalizeDecimal(toDecimalString(value), scale)
      }
      case 'binary':
        return (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array))
      default:
        return undefined
    }
  },

  // An aggregate or raw column has no declared mode: a number where that is exact, the BigInt otherwise.
  decodeUnknown(value: unknown): unknown {
    return typeof value === 'bigint' && value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value
  },
}

/**
 * A parameter as better-sqlite3 must receive it. It binds every JS number as a REAL, so `? + 1` is 1.0,
 * `10 / ?` divides as floats and 5 written to a TEXT column reads back '5.0'; whole numbers go as BigInt
 * (an INTEGER) instead. Encoding again is harmless: it also catches raw queries' booleans and Dates.
 */
export function bindParameter(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? BigInt(value) : value
  return sqliteCodecs.encode(value)
}
