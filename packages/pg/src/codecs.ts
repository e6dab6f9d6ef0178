import {
  dateToIso, parseJson, toBigInt, toDate, toDateString, toDecimalString, toSafeNumber,
  type ColumnConfig, type ColumnKind, type Codecs, type Decoder,
} from '@orm/core'

/**
 * Values between JS and `pg`, given the query types of `type-parsers.ts` (int8, numeric, date, json arrive as text).
 */
export class PgCodecs implements Codecs {
  encode(value: unknown, kind?: ColumnKind): unknown {
    if (value === null || value === undefined) return null
    // pg would send a JS array as a Postgres array literal: JSON always travels as its text.
    if (kind === 'json') return JSON.stringify(value)
    if (value instanceof Date) return kind === 'date' ? toDateString(value) : dateToIso(value)
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    }
    if (typeof value === 'bigint') return value.toString()
    return value
  }

  decoder(column: { readonly kind: ColumnKind; readonly config: ColumnConfig }): Decoder | undefined {
    switch (column.kind) {
      case 'id': case 'integer': case 'bigint':
        return column.config.mode === 'bigint' ? toBigInt : toSafeNumber
      case 'timestamp': return toDate
      case 'date': return toDateString
      case 'json': return parseJson
      case 'decimal': return toDecimalString
      case 'binary': return toBuffer
      default: return undefined
    }
  }

  /** int8 text from COUNT(*), SUM(...) and raw SQL is left to the caller, who knows what it wants. */
  decodeUnknown(value: unknown): unknown {
    return value
  }
}

/** bytea arrives as a Buffer; inside JSON it is `\x`-prefixed hex text. */
function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value
  if (typeof value === 'string' && value.startsWith('\\x')) return Buffer.from(value.slice(2), 'hex')
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return Buffer.from(String(value), 'binary')
}
