import {
  ValidationError, dateToIso, parseJson, toBigInt, toBoolean, toDate, toDateString, toDecimalString, toSafeNumber,
  toUint8Array, type Codecs, type ColumnConfig, type ColumnKind, type Decoder,
} from '@orm/core'

/** A Date as DATETIME text in UTC with milliseconds: 'YYYY-MM-DD HH:MM:SS.mmm'. */
export function formatDateTime(value: Date): string {
  const iso = dateToIso(value)
  if (!/^\d{4}-/.test(iso)) throw new ValidationError(`The date ${iso} is outside the years 0-9999 that DATETIME can hold.`)
  return iso.slice(0, 23).replace('T', ' ')
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value
  const bytes = toUint8Array(value)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/**
 * Values to and from mysql2. The driver runs with `supportBigNumbers` and `jsonStrings`: JSON arrives as text,
 * a BIGINT beyond 2^53 as text, and in the ORM's rows (see connection.ts) a smaller BIGINT as a number, a
 * DATETIME as a Date read in UTC and a DATE as text; all decoded here, losing nothing.
 */
export class MysqlCodecs implements Codecs {
  encode(value: unknown, type?: ColumnKind): unknown {
    if (value === null || value === undefined) return null
    if (type === 'json') return JSON.stringify(value)
    if (typeof value === 'boolean') return value ? 1 : 0
    if (typeof value === 'bigint') return value.toString()
    if (value instanceof Date) return type === 'date' ? formatDateTime(value).slice(0, 10) : formatDateTime(value)
    if (value instanceof Uint8Array) return toBuffer(value)
    return value
  }

  decoder(column: { readonly kind: ColumnKind; readonly config: ColumnConfig }): Decoder | undefined {
    switch (column.kind) {
      case 'id': case 'integer': case 'bigint':
        return column.config.mode === 'bigint' ? toBigInt : toSafeNumber
      case 'float':
        return (v) => (typeof v === 'number' ? v : Number(v))
      case 'decimal':
        return toDecimalString
      case 'boolean':
        return toBoolean
      case 'timestamp':
        return toDate
      case 'date':
        return toDateString
      case 'json':
        return parseJson
      case 'binary':
        return toBuffer
      default:
        return undefined
    }
  }
}
