import { sql, ValidationError } from '@orm/core'
import { describe, expect, it } from 'vitest'
import { seed, useDb, type ConformanceOptions } from '../context.js'

export function whereSuite(options: ConformanceOptions) {
  describe('where', () => {
    const t = useDb(options)
    const names = (q: { pluck(c: 'name'): Promise<string[]> }) => q.pluck('name')

    it('(column, value), (column, op, value), ({ column: value }) and null', async () => {
      await seed(t.db)
      const q = t.db.users.query().orderBy('name')
      expect(await names(q.where('name', 'Bob'))).toEqual(['Bob'])
      expect(await names(q.where('age', '>=', 31))).toEqual(['Ann', 'Dee'])
      expect(await names(q.where('age', '!=', 31))).toEqual(['Bob', 'Dee'])
      expect(await names(q.where({ active: true, age: 42 }))).toEqual(['Dee'])
      expect(await names(q.where('age', null))).toEqual(['Cid'])
      expect(await names(q.where('age', '!=', null))).toEqual(['Ann', 'Bob', 'Dee'])
      expect(await names(q.where('name', 'like', 'A%'))).toEqual(['Ann'])
      expect(await names(q.where('name', 'ilike', 'a%'))).toEqual(['Ann'])
    })

    it('orWhere and groups follow SQL precedence: a AND b OR c', async () => {
      await seed(t.db)
      const q = t.db.users.query().orderBy('name')
      expect(await names(q.where('active', true).where('age', '>', 40).orWhere('name', 'Bob'))).toEqual(['Bob', 'Dee'])
      expect(await names(q.where('active', true).where((g) => g.where('age', '>', 40).orWhere('name', 'Bob')))).toEqual(['Dee'])
      expect(await names(q.where('name', 'like', 'A%').orWhere((g) => g.whereIn('name', ['Cid', 'Dee']).whereNotNull('managerId')))).toEqual([
        'Ann',
        'Cid',
      ])
      expect(await names(q.whereNot((g) => g.where('name', 'Ann').orWhere('name', 'Bob')))).toEqual(['Cid', 'Dee'])
    })

    it('whereIn / whereNotIn, with empty lists matching nothing / everything without a statement', async () => {
      await seed(t.db)
      const q = t.db.users.query().orderBy('name')
      expect(await names(q.whereIn('name', ['Ann', 'Dee', 'Zed']))).toEqual(['Ann', 'Dee'])
      expect(await names(q.whereNotIn('name', ['Ann', 'Dee']))).toEqual(['Bob', 'Cid'])
      expect(await names(q.whereIn('name', []))).toEqual([])
      expect(await names(q.whereNotIn('name', []))).toEqual(['Ann', 'Bob', 'Cid', 'Dee'])
      expect(await names(q.where('name', ['Bob', 'Cid']))).toEqual(['Bob', 'Cid'])
    })

    it('a predicate that matches nothing sends no statement', async () => {
      await seed(t.db)
      t.log.length = 0
      expect(await t.db.users.query().whereIn('id', []).get()).toEqual([])
      expect(await t.db.users.query().where('active', true).whereIn('id', []).count()).toBe(0)
      expect(await t.db.users.query().whereIn('id', []).exists()).toBe(false)
      expect(await t.db.users.query().whereIn('id', []).update({ name: 'x' })).toBe(0)
      expect(await t.db.users.query().whereIn('id', []).delete()).toBe(0)
      expect(t.log).toHaveLength(0)
    })

    it('whereNull / whereNotNull / whereBetween / whereNotBetween', async () => {
      await seed(t.db)
      const q = t.db.users.query().orderBy('name')
      expect(await names(q.whereNull('managerId'))).toEqual(['Ann', 'Dee'])
      expect(await names(q.whereNotNull('managerId'))).toEqual(['Bob', 'Cid'])
      expect(await names(q.whereBetween('age', [25, 31]))).toEqual(['Ann', 'Bob'])
      expect(await names(q.whereNotBetween('age', [25, 31]))).toEqual(['Dee'])
      expect(await names(q.whereNull('age').orWhereNull('managerId'))).toEqual(['Ann', 'Cid', 'Dee'])
    })

    it('decimals compare, order and aggregate as numbers, however they were written', async () => {
      // Found by the differential suite: SQLite keeps decimals as text, and compared them as text ('10.00' < '9.99').
      const { ann, bob } = await seed(t.db)
      await t.db.posts.insert([
        { authorId: bob.id, title: 'Ten', rating: '10' },
        { authorId: bob.id, title: 'Nine', rating: '9.99' },
        { authorId: ann.id, title: 'Minus', rating: '-2.5' },
      ])
      const titles = (q: { pluck(c: 'title'): Promise<string[]> }) => q.pluck('title')
      const q = t.db.posts.query().orderBy('title')
      expect(await titles(q.where('rating', '>', '9.5'))).toEqual(['Nine', 'Ten'])
      expect(await titles(q.where('rating', '10.00'))).toEqual(['Ten'])
      expect(await titles(q.whereBetween('rating', ['4', '9.99']))).toEqual(['Alpha', 'Nine'])
      expect(await titles(q.whereIn('rating', ['-2.50', '4.5']))).toEqual(['Alpha', 'Minus'])
      expect(await t.db.posts.query().whereNotNull('rating').orderBy('rating', 'desc').pluck('title')).toEqual(['Ten', 'Nine', 'Alpha', 'Minus'])
      const rows = await t.db.users.query()
        .withMax('posts', 'rating').withMin('posts', 'rating').withSum('posts', 'rating')
        .where('postsMaxRating', '>', '5').orderBy('name').get()
      expect(rows.map((u) => [u.name, u.postsMaxRating, u.postsMinRating, u.postsSumRating])).toEqual([['Bob', '10.00', '9.99', '19.99']])
    })

    it('whereRaw binds its values; a placeholder count that differs is a ValidationError', async () => {
      await seed(t.db)
      const q = t.db.users.query().orderBy('name')
      expect(await names(q.whereRaw('age > ? and name <> ?', [26, 'Dee']))).toEqual(['Ann'])
      expect(await names(q.whereRaw(sql`age < ${30}`))).toEqual(['Bob'])
      expect(() => q.whereRaw('age > ? and age < ?', [1])).toThrow(ValidationError)
    })

    it('values that look like SQL are only ever values', async () => {
      await seed(t.db)
      const hostile = "x' OR '1'='1"
      expect(await t.db.users.query().where('name', hostile).count()).toBe(0)
      expect(await t.db.users.query().whereIn('name', [hostile, 'Ann']).count()).toBe(1)
      await t.db.users.insert({ name: hostile, email: '"; drop table tk_users; --' })
      expect(await t.db.users.query().where('email', '"; drop table tk_users; --').pluck('name')).toEqual([hostile])
    })
  })
}
