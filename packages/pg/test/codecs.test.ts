import { col, ValidationError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { PgCodecs, StatementNames, parseTimestamp, types } from '../src/index.js'

const codecs = new PgCodecs()
const decode = (column: { config: { kind: any } & object }, value: unknown) =>
  (codecs.decoder({ kind: column.config.kind, config: column.config as any }) ?? ((x: unknown) => x))(value)

describe('PgCodecs', () => {
  it('encodes json as text always, dates as UTC text, bytes as Buffer, bigint as text', () => {
    expect(codecs.encode([1, 2], 'json')).toBe('[1,2]')
    expect(codecs.encode('text', 'json')).toBe('"text"')
    expect(codecs.encode({ a: 'é' }, 'json')).toBe('{"a":"é"}')
    const d = new Date('1900-01-01T00:00:00.001Z')
    expect(codecs.encode(d, 'timestamp')).toBe('1900-01-01T00:00:00.001Z')
    expect(codecs.encode(d)).toBe('1900-01-01T00:00:00.001Z')
    expect(codecs.encode(new Date('2100-12-31T23:59:59.999Z'), 'date')).toBe('2100-12-31')
    expect(() => codecs.encode(new Date(NaN), 'timestamp')).toThrow(ValidationError)
    const bytes = new Uint8Array([0, 1, 2, 3]).subarray(1, 3)
    const encoded = codecs.encode(bytes, 'binary') as Buffer
    expect(Buffer.isBuffer(encoded) && [...encoded]).toEqual([1, 2])
    expect(codecs.encode(2n ** 64n)).toBe('18446744073709551616')
    expect(codecs.encode(true, 'boolean')).toBe(true)
    expect(codecs.encode(null, 'json')).toBe(null)
  })

  it('decodes int8 text safely or as BigInt, and the other kinds to their JS values', () => {
    expect(decode(col.bigint(), '9007199254740991')).toBe(9007199254740991)
    expect(() => decode(col.bigint(), '9007199254740993')).toThrow(ValidationError)
    expect(decode(col.bigint({ mode: 'bigint' }), '9007199254740993')).toBe(9007199254740993n)
    expect(decode(col.id(), '12')).toBe(12)
    expect(decode(col.integer(), 5)).toBe(5)
    expect(decode(col.decimal(), '12.50')).toBe('12.50')
    expect(decode(col.json(), '"just text"')).toBe('just text')
    expect(decode(col.json(), '{"a":[1,"ü"]}')).toEqual({ a: [1, 'ü'] })
    expect(decode(col.date(), '2024-03-01')).toBe('2024-03-01')
    expect(decode(col.timestamp(), '2024-01-02T03:04:05.678+00:00')).toEqual(new Date('2024-01-02T03:04:05.678Z'))
    expect(decode(col.binary(), '\\x00ff')).toEqual(Buffer.from([0, 255]))
    expect(decode(col.string(), 'x')).toBe('x')
    expect(codecs.decodeUnknown('42')).toBe('42')
  })
})

describe('type parsers', () => {
  const parse = (oid: number, text: string) => (types.getTypeParser as (oid: number, f?: string) => (v: string) => unknown)(oid, 'text')(text)

  it('keeps int8, numeric, date and json as text', () => {
    expect(parse(20, '9223372036854775807')).toBe('9223372036854775807')
    expect(parse(1700, '12.50')).toBe('12.50')
    expect(parse(1082, '1900-01-01')).toBe('1900-01-01')
    expect(parse(114, '"a"')).toBe('"a"')
    expect(parse(3802, '{"a": 1}')).toBe('{"a": 1}')
    expect(parse(23, '42')).toBe(42)
    expect(parse(16, 't')).toBe(true)
  })

  it('reads timestamps as UTC, with offsets down to seconds, BC years and infinity', () => {
    expect(parseTimestamp('2024-01-02 03:04:05.678')).toEqual(new Date('2024-01-02T03:04:05.678Z'))
    // UTC session values, read digit by digit: fractions of any length, none, and years before 100
    expect(parseTimestamp('2024-01-02 03:04:05.678+00')).toEqual(new Date('2024-01-02T03:04:05.678Z'))
    expect(parseTimestamp('2024-01-02 03:04:05.6789+00')).toEqual(new Date('2024-01-02T03:04:05.678Z'))
    expect(parseTimestamp('2024-01-02 03:04:05.5+00')).toEqual(new Date('2024-01-02T03:04:05.500Z'))
    expect(parseTimestamp('2024-01-02 03:04:05+00')).toEqual(new Date('2024-01-02T03:04:05Z'))
    expect(parseTimestamp('0044-03-15 12:00:00+00')).toEqual(new Date('0044-03-15T12:00:00Z'))
    expect(parseTimestamp('12024-01-02 03:04:05+00').valueOf()).toBe(Date.UTC(12024, 0, 2, 3, 4, 5))
    expect(parseTimestamp('2024-01-02 03:04:05.678999+05:30')).toEqual(new Date('2024-01-01T21:34:05.678Z'))
    expect(parseTimestamp('1900-01-01 00:00:00-03:30:52')).toEqual(new Date('1900-01-01T03:30:52Z'))
    expect(parseTimestamp('0044-03-15 12:00:00+00 BC')).toEqual(new Date(Date.UTC(-43, 2, 15, 12)))
    expect((parseTimestamp('0099-01-01 00:00:00+00') as Date).getUTCFullYear()).toBe(99)
    expect(parseTimestamp('infinity')).toBe(Infinity)
  })
})

describe('StatementNames', () => {
  it('gives each text one stable name, never one name to two texts, and stops at the limit', () => {
    const names = new StatementNames(2)
    const a = names.nameFor('select $1')
    const b = names.nameFor('select $1, $2')
    expect(a).toBeDefined()
    expect(b).not.toBe(a)
    expect(names.nameFor('select $1')).toBe(a)
    expect(names.nameFor('select $3')).toBeUndefined()
    expect(new StatementNames().nameFor('select $1')).not.toBe(a)
  })
})
