import { describe, expect, it } from 'vitest'
import { seed, useDb, type ConformanceOptions } from '../context.js'

export function softDeleteSuite(options: ConformanceOptions) {
  describe('soft deletes', () => {
    const t = useDb(options)

    it('delete sets deletedAt; reads leave the row out unless withTrashed / onlyTrashed', async () => {
      const { bob } = await seed(t.db)
      expect(await t.db.users.delete(bob.id)).toBe(1)
      expect(await t.db.users.find(bob.id)).toBeNull()
      expect(await t.db.users.query().orderBy('name').pluck('name')).toEqual(['Ann', 'Cid', 'Dee'])
      expect(await t.db.users.query().withTrashed().count()).toBe(4)
      const trashed = await t.db.users.query().onlyTrashed().get()
      expect(trashed.map((u) => u.name)).toEqual(['Bob'])
      expect(trashed[0].deletedAt).toBeInstanceOf(Date)
      expect(await t.db.users.delete(bob.id)).toBe(0)
    })

    it('the soft-delete scope wraps or-clauses', async () => {
      const { bob } = await seed(t.db)
      await t.db.users.delete(bob.id)
      expect(await t.db.users.query().where('name', 'Bob').orWhere('name', 'Ann').pluck('name')).toEqual(['Ann'])
    })

    it('restore brings a row back; force deletes for real', async () => {
      const { bob, cid } = await seed(t.db)
      await t.db.users.delete(bob.id)
      expect(await t.db.users.restore(bob.id)).toBe(1)
      expect((await t.db.users.find(bob.id))?.deletedAt).toBeNull()
      await t.db.users.query().where('name', 'Cid').delete()
      expect(await t.db.users.query().onlyTrashed().restore()).toBe(1)
      expect(await t.db.users.find(cid.id)).not.toBeNull()
      expect(await t.db.users.delete(cid.id, { force: true })).toBe(1)
      expect(await t.db.users.query().withTrashed().where('id', cid.id).count()).toBe(0)
    })

    it('update and count skip soft-deleted rows', async () => {
      const { bob } = await seed(t.db)
      await t.db.users.delete(bob.id)
      expect(await t.db.users.query().update({ age: 1 })).toBe(3)
      expect(await t.db.users.update(bob.id, { age: 2 })).toBeNull()
      expect((await t.db.users.query().withTrashed().where('id', bob.id).first())?.age).toBe(25)
    })
  })
}
