import type { ColumnKind, IntrospectedColumn } from '@orm/core'

/** A column kind with the options its builder takes (`col.string({ length })`, `col.decimal({ precision, scale })`). */
export interface KindInfo {
  kind: ColumnKind
  length?: number
  precision?: number
  scale?: number
  values?: string[]
  /** The database type had no kind of its own: read as `fallback`, with a comment in the file. */
  unknownType?: string
}

/**
 * The column kind of a database type. Type names are matched as each database spells them, never by dialect:
 * `bigint` / `int8`, `character varying(n)` / `varchar(n)`, `timestamp(3) with time zone` / `datetime(3)` /
 * `TIMESTAMP_TEXT` (SQLite), `jsonb` / `json` / `JSON_TEXT`, `bytea` / `longblob` / `BLOB`, and so on.
 */
export function kindOf(column: IntrospectedColumn, singlePrimaryKey: boolean): KindInfo {
  const type = column.dataType.toLowerCase().replace(/\s+/g, ' ').trim()
  const base = type.replace(/\s*\(.*$/, '').replace(/ (unsigned|signed|zerofill)\b.*$/, '')
  const args = /\(([^)]*)\)/.exec(type)?.[1].split(',').map((a) => Number(a.trim()))

  if (column.autoIncrement && singlePrimaryKey && INTEGERS.has(base)) return { kind: 'id' }
  if (column.enumValues?.length && !INTEGERS.has(base) && !BOOLEANS.has(type)) return { kind: 'enum', values: column.enumValues }
  if (BOOLEANS.has(type) || base === 'boolean' || base === 'bool') return { kind: 'boolean' }
  if (BIGINTS.has(base)) return { kind: 'bigint' }
  if (INTEGERS.has(base)) return { kind: 'integer' }
  if (FLOATS.has(base)) return { kind: 'float' }
  if (DECIMALS.has(base)) {
    const [precision, scale] = args && args.every(Number.isFinite) ? args : []
    return { kind: 'decimal', precision: precision ?? 18, scale: scale ?? (precision === undefined ? 2 : 0) }
  }
  if (base === 'character' || base === 'char' || base === 'nchar' || base === 'bpchar') {
    const length = args?.[0]
    return length === 36 ? { kind: 'uuid' } : { kind: 'string', length: length ?? 1 }
  }
  if (STRINGS.has(base)) {
    const length = args?.[0]
    return Number.isFinite(length) ? { kind: 'string', length } : { kind: 'text' }
  }
  if (TEXTS.has(base)) return { kind: 'text' }
  if (TIMESTAMPS.has(base)) return { kind: 'timestamp' }
  if (base === 'date' || base === 'date_text') return { kind: 'date' }
  if (base === 'json' || base === 'jsonb' || base === 'json_text') return { kind: 'json' }
  if (base === 'uuid' || base === 'uuid_text') return { kind: 'uuid' }
  if (BINARIES.has(base)) return { kind: 'binary' }
  if (column.enumValues?.length) return { kind: 'enum', values: column.enumValues }
  return { kind: 'text', unknownType: column.dataType }
}

const INTEGERS = new Set(['integer', 'int', 'int4', 'int2', 'smallint', 'mediumint', 'tinyint', 'serial', 'smallserial', 'serial4', 'int8', 'bigint', 'bigserial', 'serial8'])
const BIGINTS = new Set(['bigint', 'int8', 'bigserial', 'serial8'])
const BOOLEANS = new Set(['boolean', 'bool', 'tinyint(1)', 'bit(1)'])
const FLOATS = new Set(['real', 'double', 'double precision', 'float', 'float4', 'float8'])
const DECIMALS = new Set(['decimal', 'numeric', 'decimal_text'])
const STRINGS = new Set(['varchar', 'character varying', 'nvarchar', 'varchar2', 'varying character', 'native character'])
const TEXTS = new Set(['text', 'tinytext', 'mediumtext', 'longtext', 'clob', 'citext', 'ntext'])
const TIMESTAMPS = new Set([
  'timestamp', 'timestamptz', 'timestamp with time zone', 'timestamp without time zone', 'datetime', 'datetime2',
  'timestamp_text',
])
const BINARIES = new Set(['blob', 'tinyblob', 'mediumblob', 'longblob', 'bytea', 'binary', 'varbinary', 'image'])
