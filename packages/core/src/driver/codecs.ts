import type { ColumnConfig, ColumnKind } from '../schema/columns.js'
import { ValidationError } from '../errors.js'

export type Decoder = (value: unknown) => unknown

/**
 * How values travel between JS and one dialect's driver. `encode` turns a JS value into a driver parameter
 * (the column kind is known for values compared with or written to a column); `decoder` returns the function
 * that turns what the driver gives back into the JS value of the column kind, or undefined where the driver's
 * value is already right. Decoders never see NULL: the row reader keeps null as null.
 */
export interface Codecs {
  encode(value: unknown, type?: ColumnKind): unknown
  decoder(column: { readonly kind: ColumnKind; readonly config: ColumnConfig }): Decoder | undefined
  /** A value of a column the schema does not know (raw SQL results, aggregates). */
  decodeUnknown?(value: unknown): unknown
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER)
const MIN = BigInt(Number.MIN_SAFE_INTEGER)

/** A whole number from a driver (number, numeric string or BigInt) as a JS number; an error beyond 2^53. */
export function toSafeNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') {
    if (value > MAX || value < MIN) throw unsafeInteger(value)
    return Number(value)
  }
  if (typeof value === 'string') {
    const num = Number(value)
    if (!Number.isSafeInteger(num)) {
      if (/^-?\d+$/.test(value)) throw unsafeInteger(value)
      return num
    }
    return num
  }
  return Number(value)
}

function unsafeInteger(value: unknown): ValidationError {
  return new ValidationError(
    `The integer ${String(value)} is beyond Number.MAX_SAFE_INTEGER and cannot be read as a JS number without rounding; ` +
      `declare the column with { mode: 'bigint' }.`,
  )
}

export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  return BigInt(value as string | number)
}

export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return value === '1' || value === 't' || value === 'true'
  return Number(value) !== 0
}

/** Dates arrive as Date objects or as text ("2024-01-02 03:04:05.678" or ISO 8601); text without a zone is UTC. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value))
  const text = String(value)
  const time = utcMillis(text)
  if (time !== undefined) return new Date(time)
  if (/[zZ]$|[+-]\d\d(:?\d\d)?$/.test(text)) return new Date(text.includes('T') ? text : text.replace(' ', 'T'))
  return new Date(text.replace(' ', 'T') + 'Z')
}

/**
 * The UTC time of the text timestamps databases send ('YYYY-MM-DD HH:MM:SS[.fff...]', or with a 'T' and a
 * final 'Z'), read digit by digit; undefined for any other form (parsed the general way). This runs once per
 * timestamp value read, so it avoids the regex and the Date string parser.
 */
function utcMillis(text: string): number | undefined {
  const length = text.length
  if (length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined
  const separator = text.charCodeAt(10)
  if (separator !== 32 && separator !== 84) return undefined
  const end = text.charCodeAt(length - 1) === 90 ? length - 1 : length
  let ms = 0
  if (end > 19) {
    if (text.charCodeAt(19) !== 46 || end === 20) return undefined
    const digits = digitsAt(text, 20, end)
    if (Number.isNaN(digits)) return undefined
    const places = end - 20
    ms = places <= 3 ? digits * 10 ** (3 - places) : Math.floor(digits / 10 ** (places - 3))
  }
  const year = digitsAt(text, 0, 4)
  // Years 0-99 go the general way (Date.UTC, used here before, reads them as 1900-1999).
  if (!(year >= 100)) return undefined
  const days = epochDay(year, digitsAt(text, 5, 7), digitsAt(text, 8, 10))
  const time = days * 86_400_000 + digitsAt(text, 11, 13) * 3_600_000 + digitsAt(text, 14, 16) * 60_000 + digitsAt(text, 17, 19) * 1000 + ms
  return Number.isNaN(time) ? undefined : time
}

/**
 * The days from 1970-01-01 to a date, a month or day beyond its range carried over as Date.UTC does; the
 * arithmetic of H. Hinnant's days_from_civil (years counted from March), a few times cheaper than Date.UTC.
 */
function epochDay(year: number, month: number, day: number): number {
  const carry = Math.floor((month - 1) / 12)
  const m = month - 1 - carry * 12
  const y = year + carry - (m < 2 ? 1 : 0)
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (m < 2 ? m + 10 : m - 2) + 2) / 5) + day - 1
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468
}

/** The decimal number written by text[from, to), or NaN if a character is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return NaN
    value = value * 10 + digit
  }
  return value
}

/** A timestamp as ISO 8601 text in UTC with milliseconds: it sorts as text and reads back exactly. */
export function dateToIso(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new ValidationError('Invalid Date given as a timestamp value.')
  return value.toISOString()
}

/** A calendar date value as 'YYYY-MM-DD'. */
export function toDateString(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  const text = String(value)
  return text.length > 10 ? text.slice(0, 10) : text
}

export function toUint8Array(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return Buffer.from(value, 'binary')
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  throw new ValidationError('A binary value must be a Uint8Array or Buffer.')
}

export function parseJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value)
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8'))
  return value
}

/** A decimal keeps every digit: a string in JS. */
export function toDecimalString(value: unknown): string {
  return typeof value === 'string' ? value : String(value)
}
