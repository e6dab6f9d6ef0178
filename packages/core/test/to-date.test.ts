import { describe, expect, it } from 'vitest'
import { toDate } from '../src/driver/codecs.js'

/** The general parse toDate used for every value before its digit-by-digit path (kept for the other forms). */
function general(text: string): Date {
  if (/[zZ]$|[+-]\d\d(:?\d\d)?$/.test(text)) return new Date(text.includes('T') ? text : text.replace(' ', 'T'))
  return new Date(text.replace(' ', 'T') + 'Z')
}

describe('toDate reads database timestamp text as UTC', () => {
  it('gives the same instant as the general parse for the forms the drivers send', () => {
    const samples = [
      '2024-01-01 00:00:00', '2024-01-01 00:00:00.000', '2024-02-29 23:59:59.999', '1900-01-01 00:00:00.5',
      '2100-12-31 12:34:56.12', '1000-01-01 00:00:00.001', '9999-12-31 23:59:59.999', '2024-06-15T10:20:30.456Z',
      '2024-06-15T10:20:30Z', '2024-06-15 10:20:30.123456', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999',
    ]
    for (const text of samples) expect([text, toDate(text).getTime()]).toEqual([text, general(text).getTime()])
  })

  it('gives the instant Date.UTC gives for every field, out-of-range months, days and times carried over alike', () => {
    const pad = (v: number, width: number) => String(v).padStart(width, '0')
    const years = [100, 399, 400, 401, 1600, 1899, 1900, 1969, 1970, 2000, 2024, 2100, 2400, 9999]
    for (const year of years) {
      for (let month = 0; month <= 99; month += month < 14 ? 1 : 17) {
        for (const day of [0, 1, 28, 29, 30, 31, 32, 99]) {
          for (const [h, m, s] of [[0, 0, 0], [23, 59, 59], [24, 60, 60], [99, 99, 99]]) {
            const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.123`
            expect([text, toDate(text).getTime()]).toEqual([text, Date.UTC(year, month - 1, day, h, m, s, 123)])
          }
        }
      }
    }
  })

  it('other forms still parse the general way: offsets, dates, numbers, Dates', () => {
    expect(toDate('2024-06-15T10:20:30+02:00').toISOString()).toBe('2024-06-15T08:20:30.000Z')
    expect(toDate('2024-06-15').toISOString()).toBe('2024-06-15T00:00:00.000Z')
    expect(toDate(0).getTime()).toBe(0)
    const d = new Date()
    expect(toDate(d)).toBe(d)
    expect(Number.isNaN(toDate('not a date').getTime())).toBe(true)
  })
})
