import { describe, expect, it } from 'vitest'
import { col, createDb, defineSchema, table } from '../src/index.js'
import { fakeDialect } from './fake-dialect.js'

const users = table('users', { id: col.id(), name: col.string() })
const profiles = table('profiles', { id: col.id(), userId: col.bigint().unique(), bio: col.string() })
const notes = table('notes', { id: col.id(), userId: col.bigint(), body: col.string() })
const posts = table('posts', { id: col.id(), userId: col.bigint(), title: col.string() })
const images = table('images', { id: col.id(), imageableId: col.bigint(), imageableType: col.string(), url: col.string() }, {
  uniques: [['imageableType', 'imageableId']],
})
const covers = table('covers', { id: col.id(), imageableId: col.bigint(), imageableType: col.string(), url: col.string() })

const schema = defineSchema({ users, profiles, notes, posts, images, covers }, (r) => ({
  users: {
    profile: r.hasOne('profiles'),
    note: r.hasOne('notes'),
    posts: r.hasMany('posts'),
    avatar: r.morphOne('images', { morph: 'imageable' }),
    cover: r.morphOne('covers', { morph: 'imageable' }),
  },
  posts: { author: r.belongsTo('users', { foreignKey: 'userId' }) },
}))

const auto = createDb({ schema, dialect: fakeDialect() })
const keyed = createDb({ schema, dialect: fakeDialect(), eagerStrategy: 'keyed' })
const joins = (sql: string) => sql.match(/LEFT JOIN "(\w+)"/g) ?? []

describe("eagerStrategy 'auto': a one-row read loads unique to-one relations with a join", () => {
  it('belongsTo, hasOne on a unique foreign key, morphOne on a unique (type, id) join the parents’ statement', () => {
    expect(joins(auto.posts.query().with('author').limit(1).toSQL().sql)).toEqual(['LEFT JOIN "users"'])
    expect(joins(auto.users.query().with('profile', 'avatar').limit(1).toSQL().sql)).toEqual(['LEFT JOIN "profiles"', 'LEFT JOIN "images"'])
  })

  it('a hasOne or morphOne without a unique key, a to-many relation and a constrained with() stay keyed', () => {
    expect(joins(auto.users.query().with('note', 'cover', 'posts').limit(1).toSQL().sql)).toEqual([])
    expect(joins(auto.posts.query().with('author', (q) => q.select('id', 'name')).limit(1).toSQL().sql)).toEqual([])
  })

  it("'keyed' never joins by itself; join() still does", () => {
    expect(joins(keyed.posts.query().with('author').limit(1).toSQL().sql)).toEqual([])
    expect(joins(keyed.posts.query().join('author').toSQL().sql)).toEqual(['LEFT JOIN "users"'])
  })

  it('a read of many rows stays keyed (a join would repeat the related columns on every row)', () => {
    expect(joins(auto.posts.query().with('author').toSQL().sql)).toEqual([])
    expect(joins(auto.posts.query().with('author').limit(2).toSQL().sql)).toEqual([])
  })

  it('with() and join() of the same relation join once', () => {
    expect(joins(auto.posts.query().join('author').with('author').toSQL().sql)).toEqual(['LEFT JOIN "users"'])
  })

  it('a with() path is planned against its own schema: the cached tree of one schema never serves another', () => {
    // Same table key and relation name, but here `profile` is a hasOne on a foreign key that is not unique.
    const loose = table('profiles', { id: col.id(), userId: col.bigint(), bio: col.string() })
    const other = createDb({
      schema: defineSchema({ users, profiles: loose }, (r) => ({ users: { profile: r.hasOne('profiles') } })),
      dialect: fakeDialect(),
    })
    for (let i = 0; i < 2; i++) {
      expect(joins(auto.users.query().with('profile').limit(1).toSQL().sql)).toEqual(['LEFT JOIN "profiles"'])
      expect(joins(other.users.query().with('profile').limit(1).toSQL().sql)).toEqual([])
    }
    expect(joins(auto.users.query().with('profile').with('avatar').limit(1).toSQL().sql)).toEqual(['LEFT JOIN "profiles"', 'LEFT JOIN "images"'])
    expect(joins(auto.users.query().with('avatar').with('profile').limit(1).toSQL().sql)).toEqual(['LEFT JOIN "images"', 'LEFT JOIN "profiles"'])
  })

  it('an unknown eagerStrategy is a ValidationError', () => {
    expect(() => createDb({ schema, dialect: fakeDialect(), eagerStrategy: 'json' as never })).toThrow(/Unknown eagerStrategy "json". Valid: auto, keyed/)
  })
})
