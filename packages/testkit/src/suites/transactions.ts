import { OrmError, UniqueConstraintError, ValidationError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { requireCapabilities } from '../capabilities.js'
import { useDb, type ConformanceOptions } from '../context.js'

export function transactionSuite(options: ConformanceOptions) {
  describe('transactions', () => {
    const t = useDb(options)

    it('commits what the callback wrote and returns its value', async () => {
      const result = await t.db.transaction(async (tx) => {
        await tx.tags.insert({ name: 'a' })
        await tx.tags.insert({ name: 'b' })
        return tx.tags.query().count()
      })
      expect(result).toBe(2)
      expect(await t.db.tags.query().count()).toBe(2)
    })

    it('the log shows transaction control around the statements', async (ctx) => {
      requireCapabilities(ctx, t.dialect, 'savepoints')
      await t.db.transaction(async (tx) => {
        await tx.tags.insert({ name: 'a' })
        await tx.transaction((inner) => inner.tags.insert({ name: 'b' }))
      })
      const sql = t.log.map((e) => e.sql)
      expect(sql[0]).toBe('BEGIN')
      expect(sql.some((s) => s.startsWith('SAVEPOINT'))).toBe(true)
      expect(sql.some((s) => s.startsWith('RELEASE SAVEPOINT'))).toBe(true)
      expect(sql[sql.length - 1]).toBe('COMMIT')
    })

    it('rolls back everything when the callback throws', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.tags.insert({ name: 'a' })
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect(await t.db.tags.query().count()).toBe(0)
    })

    it('a failing statement inside a transaction leaves nothing behind', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.tags.insert({ name: 'a' })
          await tx.tags.insert({ name: 'b' })
          await tx.tags.insert({ name: 'a' })
        }),
      ).rejects.toBeInstanceOf(UniqueConstraintError)
      expect(await t.db.tags.query().count()).toBe(0)
    })

    it('nested transactions are savepoints: an inner failure rolls back only the inner work', async (ctx) => {
      requireCapabilities(ctx, t.dialect, 'savepoints')
      await t.db.transaction(async (tx) => {
        await tx.tags.insert({ name: 'outer' })
        await expect(
          tx.transaction(async (inner) => {
            await inner.tags.insert({ name: 'inner' })
            throw new Error('inner fails')
          }),
        ).rejects.toThrow('inner fails')
        await tx.transaction(async (inner) => {
          await inner.tags.insert({ name: 'inner ok' })
          await inner.transaction(async (deeper) => {
            await deeper.tags.insert({ name: 'deeper' })
          })
        })
      })
      expect(await t.db.tags.query().orderBy('name').pluck('name')).toEqual(['deeper', 'inner ok', 'outer'])
    })

    it('a caught failing statement inside a savepoint leaves the transaction usable', async (ctx) => {
      requireCapabilities(ctx, t.dialect, 'savepoints')
      await t.db.tags.insert({ name: 'taken' })
      await t.db.transaction(async (tx) => {
        await tx.tags.insert({ name: 'first' })
        await expect(tx.transaction((inner) => inner.tags.insert({ name: 'taken' }))).rejects.toBeInstanceOf(UniqueConstraintError)
        await tx.tags.insert({ name: 'second' })
      })
      expect(await t.db.tags.query().orderBy('name').pluck('name')).toEqual(['first', 'second', 'taken'])
    })

    it('isolation levels are accepted; bad options are a ValidationError', async () => {
      const n = await t.db.transaction((tx) => tx.tags.query().count(), { isolation: 'serializable' })
      expect(n).toBe(0)
      await expect(t.db.transaction(async () => 1, { isolation: 'chaos' as never })).rejects.toBeInstanceOf(ValidationError)
      await expect(t.db.transaction(async () => 1, { retries: -1 })).rejects.toBeInstanceOf(ValidationError)
    })

    it('a transaction handle cannot be used after it finished', async () => {
      let leaked: typeof t.db | undefined
      await t.db.transaction(async (tx) => {
        leaked = tx
      })
      await expect(leaked!.tags.query().count()).rejects.toBeInstanceOf(OrmError)
    })
  })
}
