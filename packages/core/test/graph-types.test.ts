import { describe, expectTypeOf, it } from 'vitest'
import { createDb } from '../src/index.js'
import { result, schema, type Flat, type Pivot, type Post, type Profile, type Role, type Tag, type User } from './api-schema.js'
import { fakeDialect } from './fake-dialect.js'

/**
 * Type tests of graph writes (API.md section 5, Graphs): what create() and save() accept and return.
 * Checked by `tsc --noEmit -p packages/core`; nothing here runs: every call sits in a function never invoked.
 * The schema is API.md's (api-schema.ts), the one relation-types.test.ts checks reads on.
 */
const db = createDb({ schema, dialect: fakeDialect() })

describe('create(): input and result types', () => {
  it('the API.md example: hasOne, hasMany with nested belongsToMany (by key and new), belongsToMany by key', () => {
    const alice = result(() =>
      db.users.create({
        name: 'Alice', email: 'alice@x',
        profile: { bio: 'Software Developer' },
        posts: [{ title: 'Hello', tags: [{ id: 1 }, { name: 'new', pivot: { position: 2 } }] }],
        roles: [{ id: 2 }],
      }),
    )
    expectTypeOf(alice).toEqualTypeOf<Flat<User & { profile: Profile; posts: (Post & { tags: (Tag & Pivot)[] })[]; roles: (Role & Pivot)[] }>>()
  })

  it('a column-only input returns the row; an array returns rows', () => {
    expectTypeOf(result(() => db.users.create({ name: 'A', email: 'a' }))).toEqualTypeOf<Flat<User>>()
    expectTypeOf(result(() => db.users.create([{ name: 'A', email: 'a' }]))).toEqualTypeOf<Flat<User[]>>()
  })

  it('belongsTo: a new row or an existing one by key; null stays possible', () => {
    expectTypeOf(result(() => db.posts.create({ title: 'T', authorId: 0, author: { name: 'A', email: 'a' } }))).toEqualTypeOf<Flat<Post & { author: User }>>()
    expectTypeOf(result(() => db.posts.create({ title: 'T', authorId: 0, author: { id: 1 } }))).toEqualTypeOf<Flat<Post & { author: User }>>()
  })

  it('refuses unknown keys, missing required columns, through relations and bad paths', () => {
    // @ts-expect-error an unknown key at the top level
    void (() => db.users.create({ name: 'A', email: 'a', nmae: 'x' }))
    // @ts-expect-error a required column is missing (email)
    void (() => db.users.create({ name: 'A' }))
    // @ts-expect-error a through relation is not writable
    void (() => db.users.create({ name: 'A', email: 'a', comments: [] }))
    // @ts-expect-error a to-many relation takes an array
    void (() => db.users.create({ name: 'A', email: 'a', posts: { title: 'x' } }))
    // @ts-expect-error a nested row misses a required column (title)
    void (() => db.users.create({ name: 'A', email: 'a', posts: [{ published: true }] }))
    // @ts-expect-error omit takes relation paths
    void (() => db.users.create({ name: 'A', email: 'a' }, { omit: ['postz'] }))
    void (() => db.users.create({ name: 'A', email: 'a' }, { omit: ['posts.tags'], only: ['posts', 'profile'] }))
  })
})

describe('save() and delete()', () => {
  it('save takes any columns and relations, with paths checked', () => {
    expectTypeOf(result(() => db.users.save({ id: 1, name: 'B', profile: { bio: 'x' } }, { with: ['profile'] }))).toEqualTypeOf<Flat<User & { profile: Profile }>>()
    // @ts-expect-error with takes relation paths
    void (() => db.users.save({ id: 1 }, { with: ['nope'] }))
  })

  it('delete with relation paths returns a count', () => {
    expectTypeOf(() => db.users.delete(1, { with: ['posts.comments', 'roles'] })).returns.toEqualTypeOf<Promise<number>>()
    // @ts-expect-error with takes relation paths
    void (() => db.users.delete(1, { with: ['postz'] }))
  })
})
