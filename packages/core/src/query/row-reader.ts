import type { Codecs, Decoder } from '../driver/codecs.js'
import type { ColumnMeta } from '../schema/table.js'

/** How to turn one result row (an array in select-list order) into an object: built once per query shape. */
export interface ReadPlan {
  readonly props: readonly string[]
  readonly decoders: readonly (Decoder | undefined)[]
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

export function readPlan(codecs: Codecs, columns: readonly ColumnMeta[]): ReadPlan {
  return { props: columns.map((c) => c.prop), decoders: columns.map((c) => decoderOf(codecs, c)) }
}

export function readRows<R = Record<string, unknown>>(rows: readonly unknown[], plan: ReadPlan): R[] {
  const { props, decoders } = plan
  const width = props.length
  const out = new Array<R>(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[]
    const obj: Record<string, unknown> = {}
    for (let i = 0; i < width; i++) {
      const value = row[i]
      const decode = decoders[i]
      obj[props[i]] = value === null || value === undefined ? null : decode ? decode(value) : value
    }
    out[r] = obj as R
  }
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
