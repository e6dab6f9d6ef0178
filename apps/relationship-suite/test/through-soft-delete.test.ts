/**
 * Through relations leave out rows reached through a soft-deleted middle row (as Eloquent does), in eager
 * loading, filters, aggregates and related() reads. Runs on every available dialect.
 */
import { col, createDb, defineSchema, model, table, type Dialect } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'
import { sqlite } from '@orm/sqlite'
import { describe, expect, it } from 'vitest'
import { urlFromEnv } from '../src/databases.js'

const countries = table('ts_countries', { id: col.id(), name: col.string() })
const people = table('ts_people', { ...model(), countryId: col.bigint().references(() => countries.id), name: col.string() })
const articles = table('ts_articles', { id: col.id(), personId: col.bigint().references(() => people.id), title: col.string() })
const schema = defineSchema({ countries, people, articles }, (r) => ({
  countries: { articles: r.hasManyThrough('articles', { through: 'people' }) },
  people: { articles: r.hasMany('articles') },
}))

const dialects: [string, () => Dialect][] = [['sqlite', () => sqlite()]]
const pgUrl = urlFromEnv('pg')
const mysqlUrl = urlFromEnv('mysql')
if (pgUrl) dialects.push(['pg', () => pg({ connectionString: pgUrl })])
if (mysqlUrl) dialects.push(['mysql', () => mysql({ uri: mysqlUrl })])

describe.each(dialects)('hasManyThrough over a soft-deleting middle table (%s)', (_name, make) => {
  it('skips rows reached through a soft-deleted middle row', async () => {
    const db = createDb({ schema, dialect: make() })
    try {
      await db.schema.drop()
      await db.schema.create()
      const nl = await db.countries.insert({ name: 'NL' })
      const [ann, bob] = await db.people.insert([{ countryId: nl.id, name: 'Ann' }, { countryId: nl.id, name: 'Bob' }])
      await db.articles.insert([{ personId: ann.id, title: 'kept' }, { personId: bob.id, title: 'hidden' }])
      await db.people.delete(bob.id)
      const [loaded] = await db.countries.query().with('articles').withCount('articles').get()
      expect(loaded.articles.map((a) => a.title)).toEqual(['kept'])
      expect(loaded.articlesCount).toBe(1)
      expect(await db.countries.query().whereHas('articles', (q) => q.where('title', 'hidden')).count()).toBe(0)
      expect(await db.countries.related(nl, 'articles').pluck('title')).toEqual(['kept'])
    } finally {
      await db.schema.drop()
      await db.close()
    }
  })
})
