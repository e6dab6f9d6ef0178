import { describe, expect, it } from 'vitest'
import { keyString } from '../src/query/keys.js'
import { keyOf } from '../src/relations/eager-load.js'

/** What keyOf gave before its one-column fast path: the general form, for comparison. */
const general = (values: readonly unknown[]) =>
  values.some((v) => v === null || v === undefined)
    ? undefined
    : keyString(values.map((v) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v instanceof Date ? v.getTime() : v)))

describe('keyOf: the match key of eager loading and pivot writes', () => {
  it('a one-column key gives the same string as the general form', () => {
    for (const v of [0, 5, -3, 1.5, 2 ** 60, 5n, 2n ** 70n, '5', 'a"b\\c', '', 'ü', new Date(1700000000000), true, null, undefined]) {
      expect(keyOf([v])).toBe(general([v]))
    }
  })

  it('numbers, bigints and numeric strings of one value match; null matches nothing', () => {
    expect(keyOf([5])).toBe(keyOf([5n]))
    expect(keyOf([5])).toBe(keyOf(['5']))
    expect(keyOf([null])).toBeUndefined()
    expect(keyOf([1, 'a'])).toBe(keyOf([1n, 'a']))
    expect(keyOf([1, null])).toBeUndefined()
  })
})
