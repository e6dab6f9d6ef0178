import { ValidationError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { normalizeDecimal, sqliteCodecs } from '../src/index.js'
import { col, column } from './helpers.js'

describe('sqliteCodecs.encode', () => {
  it('turns what better-sqlite3 cannot bind into what it can', () => {
    const when = new Date('1900-01-01T00:00:00.999Z')
    expect(sqliteCodecs.encode(true)).toBe(1)
    expect(sqliteCodecs.encode(false, 'boolean')).toBe(0)
    expect(sqliteCodecs.encode(when)).toBe('1900-01-01T00:00:00.999Z')
    expect(sqliteCodecs.encode(when, 'timestamp')).toBe('1900-01-01T00:00:00.999Z')
    expect(sqliteCodecs.encode(when, 'date')).toBe('1900-01-01')
    expect(sqliteCodecs.encode(undefined)).toBe(null)
    expect(sqliteCodecs.encode(2n ** 64n)).toBe(2n ** 64n)
    const encoded = sqliteCodecs.encode(new Uint8Array([1, 2, 3]))
    expect(Buffer.isBuffer(encoded)).toBe(true)
    expect([...(encoded as Buffer)]).toEqual([1, 2, 3])
  })

  it('stringifies every json value, strings included', () => {
    expect(sqliteCodecs.encode('text', 'json')).toBe('"text"')
    expect(sqliteCodecs.encode({ a: [1, 'ü'] }, 'json')).toBe('{"a":[1,"ü"]}')
    expect(sqliteCodecs.encode(true, 'json')).toBe('true')
    expect(sqliteCodecs.encode(0, 'json')).toBe('0')
  })

  it('keeps decimals as text', () => {
    expect(sqliteCodecs.encode(12.5, 'decimal')).toBe('12.5')
    expect(sqliteCodecs.encode('12.50', 'decimal')).toBe('12.50')
  })
})

describe('sqliteCodecs.decoder', () => {
  const decode = (builder: Parameters<typeof column>[1], value: unknown) =>
    sqliteCodecs.decoder(column('c', builder))!(value)

  it('narrows integers, keeping BigInt only in bigint mode', () => {
    expect(decode(col.integer(), 42n)).toBe(42)
    expect(decode(col.id(), 7n)).toBe(7)
    expect(decode(col.bigint({ mode: 'bigint' }), 2n ** 63n - 1n)).toBe(2n ** 63n - 1n)
    expect(() => decode(col.bigint(), 2n ** 53n)).toThrow(ValidationError)
    expect(decode(col.float(), 3n)).toBe(3)
  })

  it('reads booleans, timestamps, json and binary', () => {
    expect(decode(col.boolean(), 1n)).toBe(true)
    expect(decode(col.boolean(), 0n)).toBe(false)
    expect(decode(col.timestamp(), '2100-01-01T00:00:00.001Z')).toEqual(new Date('2100-01-01T00:00:00.001Z'))
    expect(decode(col.json(), '"s"')).toBe('s')
    expect(decode(col.json(), '{"a":null}')).toEqual({ a: null })
    expect(Buffer.isBuffer(decode(col.binary(), new Uint8Array([9])))).toBe(true)
    expect(sqliteCodecs.decoder(column('c', col.string()))).toBeUndefined()
  })

  it('decimals get the column scale', () => {
    expect(decode(col.decimal({ scale: 2 }), '12.5')).toBe('12.50')
    expect(decode(col.decimal({ scale: 0 }), '12.5')).toBe('13')
    expect(decode(col.decimal({ scale: 3 }), 7n)).toBe('7.000')
  })
})

describe('normalizeDecimal', () => {
  it.each([
    ['12.5', 2, '12.50'],
    ['12', 2, '12.00'],
    ['0', 2, '0.00'],
    ['-0.005', 2, '-0.01'],
    ['0.995', 2, '1.00'],
    ['999.999', 2, '1000.00'],
    ['-999.995', 2, '-1000.00'],
    ['0.004', 2, '0.00'],
    ['-0.004', 2, '0.00'],
    ['.5', 2, '0.50'],
    ['5.', 1, '5.0'],
    ['+3.14159', 4, '3.1416'],
    ['007.10', 2, '7.10'],
    ['1e3', 2, '1000.00'],
    ['1.5E-3', 4, '0.0015'],
    ['2.5e-1', 0, '0'],
    ['12345678901234567890.125', 2, '12345678901234567890.13'],
    ['9.5', 0, '10'],
  ] as const)('%s with scale %i is %s', (input, scale, expected) => {
    expect(normalizeDecimal(input, scale)).toBe(expected)
  })

  it('rejects text that is not a number', () => {
    for (const bad of ['', 'abc', '1.2.3', '.', '--1', '1e']) expect(() => normalizeDecimal(bad, 2)).toThrow(ValidationError)
  })
})

describe('sqliteCodecs.decodeUnknown', () => {
  it('narrows safe BigInts and leaves everything else', () => {
    expect(sqliteCodecs.decodeUnknown!(5n)).toBe(5)
    expect(sqliteCodecs.decodeUnknown!(-(2n ** 53n) + 1n)).toBe(-(2 ** 53) + 1)
    expect(sqliteCodecs.decodeUnknown!(2n ** 53n)).toBe(2n ** 53n)
    expect(sqliteCodecs.decodeUnknown!('x')).toBe('x')
  })
})
