import { describe, expectTypeOf, it } from 'vitest'
import { col, createDb, defineSchema, model, table, type ColumnRef, type Row } from '../src/index.js'
import { fakeDialect } from './fake-dialect.js'

/**
 * Type tests of graph writes (API.md section 5, Graphs): what create() and save() accept and return.
 * Checked by `tsc --noEmit -p packages/core`; nothing here runs: every call sits in a function never invoked.
 */
const users = table('users', {
  ...model(),
  name: col.string(),
  email: col.string().unique(),
  managerId: col.bigint().nullable().references((): ColumnRef => users.id),
})
const profiles = table('profiles', { id: col.id(), userId: col.bigint(), bio: col.text() })
const posts = table('posts', { id: col.id(), authorId: col.bigint(), title: col.string(), published: col.boolean().default(false) })
const comments = table('comments', { id: col.id(), commentableId: col.bigint(), commentableType: col.string(), body: col.text() })
const tags = table('tags', { id: col.id(), name: col.string() })
const postTags = table('post_tags', { postId: col.bigint(), tagId: col.bigint(), position: col.integer().default(0) }, { primaryKey: ['postId', 'tagId'] })
const roles = table('roles', { id: col.id(), name: col.string() })
const images = table('images', { id: col.id(), imageableId: col.bigint(), imageableType: col.string(), url: col.string() })

const schema = defineSchema({ users, profiles, posts, comments, tags, postTags, roles, images }, (r) => ({
  users: {
    profile: r.hasOne('profiles'),
    posts: r.hasMany('posts', { foreignKey: 'authorId' }),
    manager: r.belongsTo('users', { foreignKey: 'managerId' }),
    roles: r.belongsToMany('roles', { pivot: 'role_user' }),
    images: r.morphMany('images', { morph: 'imageable' }),
    comments: r.hasManyThrough('comments', { through: 'posts' }),
  },
  posts: {
    author: r.belongsTo('users', { foreignKey: 'authorId' }),
    comments: r.morphMany('comments', { morph: 'commentable', morphValue: 'post' }),
    tags: r.belongsToMany('tags', { pivot: 'postTags', pivotColumns: ['position'] }),
  },
  images: { imageable: r.morphTo({ morph: 'imageable', types: { users: 'users', posts: 'posts' } }) },
}))
const db = createDb({ schema, dialect: fakeDialect() })

type S = typeof schema
type User = Row<S, 'users'>
type Profile = Row<S, 'profiles'>
type Post = Row<S, 'posts'>
type Tag = Row<S, 'tags'>
type Role = Row<S, 'roles'>
type Pivot = { pivot: Record<string, unknown> }

type Flat<T> = T extends Date | Uint8Array ? T : T extends readonly (infer E)[] ? Flat<E>[] : T extends object ? { [K in keyof T]: Flat<T[K]> } : T
const result = <T>(_write: () => Promise<T>): Flat<T> => undefined as never

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
