import { describe, expect, it } from 'vitest'
import { useDb, type ConformanceOptions } from '../context.js'

export function limitSuite(options: ConformanceOptions) {
  describe('parameter limits', () => {
    const t = useDb(options)

    it('100,000 rows insert in one call, split by the parameter limit, ids in order', async () => {
      const count = 100_000
      const rows = await t.db.tags.insert(Array.from({ length: count }, (_, i) => ({ name: `t${i}` })))
      expect(rows).toHaveLength(count)
      expect(rows[0].name).toBe('t0')
      expect(rows[count - 1].name).toBe(`t${count - 1}`)
      expect(new Set(rows.map((r) => r.id)).size).toBe(count)
      expect(await t.db.tags.query().count()).toBe(count)
      const statements = t.log.filter((e) => /^insert/i.test(e.sql)).length
      expect(statements).toBeGreaterThan(1)
      const sample = await t.db.tags.find(rows[54321].id)
      expect(sample?.name).toBe('t54321')
    }, 300_000)
  })
}
