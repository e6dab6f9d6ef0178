import { ValidationError, sql } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { useDb, type ConformanceOptions } from '../context.js'

export function valueSuite(options: ConformanceOptions) {
  describe('values read back the same on every dialect', () => {
    const t = useDb(options)
    const bytes = new Uint8Array(256).map((_, i) => i)

    it('every column kind round-trips', async () => {
      const input = {
        int: -2147483648,
        big: 9007199254740993n,
        bigNumber: 9007199254740991,
        float: 3.141592653589793,
        decimal: '12345678.1234',
        str: 'héllo "quoted" \'single\' \\ back',
        text: 'line1\nline2 😀 \u202Ertl',
        bool: true,
        ts: new Date('2024-02-29T23:59:59.999Z'),
        day: '2024-02-29',
        json: { a: [1, 2, { b: 'ü' }], n: null, t: true },
        bin: bytes,
        choice: 'live' as const,
      }
      const row = await t.db.kinds.insert(input)
      const read = await t.db.kinds.find(row.id)
      for (const r of [row, read!]) {
        expect(r.int).toBe(input.int)
        expect(r.big).toBe(input.big)
        expect(r.bigNumber).toBe(input.bigNumber)
        expect(r.float).toBe(input.float)
        expect(r.decimal).toBe(input.decimal)
        expect(r.str).toBe(input.str)
        expect(r.text).toBe(input.text)
        expect(r.bool).toBe(true)
        expect(r.ts).toEqual(input.ts)
        expect(r.day).toBe('2024-02-29')
        expect(r.json).toEqual(input.json)
        expect(Buffer.from(r.bin!)).toEqual(Buffer.from(bytes))
        expect(r.choice).toBe('live')
        expect(r.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      }
    })

    it('nulls, false and zero stay what they are', async () => {
      const row = await t.db.kinds.insert({ bool: false, int: 0, float: 0, str: '', json: null })
      expect(await t.db.kinds.find(row.id)).toMatchObject({ bool: false, int: 0, float: 0, str: '', json: null, ts: null, bin: null, big: null })
    })

    it('decimals keep their scale; JSON strings and arrays stay JSON', async () => {
      const a = await t.db.kinds.insert({ decimal: '1.5', json: 'just a string' })
      const b = await t.db.kinds.insert({ decimal: '7', json: [1, 'two'] })
      expect((await t.db.kinds.find(a.id))?.decimal).toBe('1.5000')
      expect((await t.db.kinds.find(a.id))?.json).toBe('just a string')
      expect((await t.db.kinds.find(b.id))?.decimal).toBe('7.0000')
      expect((await t.db.kinds.find(b.id))?.json).toEqual([1, 'two'])
    })

    it('timestamps keep milliseconds across years 1900 to 2100, whatever the process time zone', async () => {
      const dates = [new Date('1900-01-01T00:00:00.000Z'), new Date('2100-12-31T23:59:59.999Z'), new Date('1970-01-01T00:00:00.001Z')]
      const rows = await t.db.kinds.insert(dates.map((ts) => ({ ts })))
      const read = await t.db.kinds.query().whereIn('id', rows.map((r) => r.id)).orderBy('ts').pluck('ts')
      expect(read).toEqual([dates[0], dates[2], dates[1]])
      expect(await t.db.kinds.query().where('ts', '>', new Date('2000-01-01T00:00:00Z')).count()).toBe(1)
    })

    it('a bigint beyond 2^53 read in number mode is an error, never a rounding', async () => {
      const row = await t.db.kinds.insert({})
      await t.db.execute(sql`update ${t.db.kinds} set big_number = ${9007199254740993n} where ${t.db.kinds.id} = ${row.id}`)
      await expect(t.db.kinds.find(row.id)).rejects.toBeInstanceOf(ValidationError)
      expect((await t.db.kinds.query().select('id', 'big').where('id', row.id).first())?.big).toBeNull()
    })

    it('booleans filter the same everywhere', async () => {
      await t.db.kinds.insert([{ bool: true }, { bool: false }, { bool: null }])
      expect(await t.db.kinds.query().where('bool', true).count()).toBe(1)
      expect(await t.db.kinds.query().where('bool', false).count()).toBe(1)
      expect(await t.db.kinds.query().whereNull('bool').count()).toBe(1)
    })
  })
}
