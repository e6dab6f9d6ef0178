import { describe, expect, it } from 'vitest'
import type { Codecs } from '../src/driver/codecs.js'
import { readPlan, readRows } from '../src/query/row-reader.js'
import type { ColumnMeta } from '../src/schema/table.js'

const codecs: Codecs = {
  encode: (v) => v,
  decoder: (c) => (c.kind === 'integer' ? (v) => Number(v) : c.kind === 'boolean' ? (v) => v === 1 : undefined),
}
const column = (prop: string, kind: string) => ({ prop, name: prop, kind, config: {} }) as unknown as ColumnMeta
const columns = [column('id', 'integer'), column('na"me', 'string'), column('on', 'boolean')]

describe('readRows', () => {
  it('builds one object per row, decoding every value but null', () => {
    const rows = readRows(
      [
        [1n, 'a', 1],
        [2n, null, 0],
        [null, undefined, null],
      ],
      readPlan(codecs, columns),
    )
    expect(rows).toEqual([
      { id: 1, 'na"me': 'a', on: true },
      { id: 2, 'na"me': null, on: false },
      { id: null, 'na"me': null, on: null },
    ])
    expect(Object.keys(rows[0])).toEqual(['id', 'na"me', 'on'])
  })

  it('reads a row from an offset, and makes a plan once per list of columns', () => {
    const plan = readPlan(codecs, columns)
    expect(readPlan(codecs, [...columns])).toBe(plan)
    expect(readPlan(codecs, columns.slice(1))).not.toBe(plan)
    expect(plan.read(['x', 3n, 'b', 0], 1)).toEqual({ id: 3, 'na"me': 'b', on: false })
    expect(readPlan(codecs, []).read([1], 0)).toEqual({})
  })

  it('writes any property name as a name, never as code', () => {
    const odd = ['a\\b', "it's", '"]; throw 1; //', 'line\nbreak', '\u2028', '${x}', '']
    const plan = readPlan(codecs, odd.map((prop) => column(prop, 'integer')))
    const row = plan.read(odd.map((_, i) => BigInt(i)), 0)
    expect(Object.keys(row)).toEqual(odd)
    expect(Object.values(row)).toEqual(odd.map((_, i) => i))
  })
})
