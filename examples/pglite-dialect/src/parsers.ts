import { parseTimestamp } from '@orm/pg'

/** PostgreSQL type OIDs whose text this dialect reads itself. */
export const OID = { int8: 20, json: 114, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184, jsonb: 3802 } as const

const asText = (value: string): string => value

/**
 * What PGlite hands the codecs, set to match what the pg dialect's driver hands them, so that PgCodecs decodes
 * both the same way: int8 and numeric stay text (PGlite would read int8 as a JS number and round past 2^53),
 * dates stay 'YYYY-MM-DD' (PGlite would make a local-midnight Date), JSON stays raw text (so a JSON string
 * is not mistaken for text), timestamps become Dates in UTC.
 */
export const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: asText,
  [OID.numeric]: asText,
  [OID.date]: asText,
  [OID.json]: asText,
  [OID.jsonb]: asText,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamp,
}
