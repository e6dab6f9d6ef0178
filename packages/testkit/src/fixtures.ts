import { col, defineSchema, model, table, type ColumnRef } from '@orm/core'

/** The tables every conformance case works on. Names are prefixed so the suite never touches user tables. */
export const users = table('tk_users', {
  ...model(),
  name: col.string({ length: 100 }),
  email: col.string().unique(),
  managerId: col.bigint().nullable().references((): ColumnRef => users.id, { onDelete: 'set null' }),
  active: col.boolean().default(true),
  age: col.integer().nullable(),
})

export const posts = table('tk_posts', {
  id: col.id(),
  authorId: col.bigint().references(() => users.id, { onDelete: 'cascade' }),
  title: col.string(),
  body: col.text().nullable(),
  published: col.boolean().default(false),
  views: col.integer().default(0),
  meta: col.json<{ words: number; tags?: string[] }>().nullable(),
  rating: col.decimal({ precision: 8, scale: 2 }).nullable(),
  createdAt: col.timestamp().defaultNow(),
})

export const tags = table('tk_tags', {
  id: col.id(),
  name: col.string().unique(),
})

export const postTags = table(
  'tk_post_tags',
  {
    postId: col.bigint().references(() => posts.id, { onDelete: 'cascade' }),
    tagId: col.bigint().references(() => tags.id, { onDelete: 'cascade' }),
    position: col.integer().default(0),
  },
  { primaryKey: ['postId', 'tagId'] },
)

/** One column of every kind, for value fidelity. */
export const kinds = table('tk_kinds', {
  id: col.id(),
  int: col.integer().nullable(),
  big: col.bigint({ mode: 'bigint' }).nullable(),
  bigNumber: col.bigint().nullable(),
  float: col.float().nullable(),
  decimal: col.decimal({ precision: 12, scale: 4 }).nullable(),
  str: col.string().nullable(),
  text: col.text().nullable(),
  bool: col.boolean().nullable(),
  ts: col.timestamp().nullable(),
  day: col.date().nullable(),
  json: col.json<unknown>().nullable(),
  uuid: col.uuid().defaultRandom(),
  bin: col.binary().nullable(),
  choice: col.enum(['draft', 'live']).nullable(),
})

/** A table keyed by a client-side uuid, with no auto-increment. */
export const notes = table('tk_notes', {
  id: col.uuid().primaryKey().defaultRandom(),
  body: col.string(),
  pinned: col.boolean().default(false),
})

export const schema = defineSchema({ users, posts, tags, postTags, kinds, notes }, (r) => ({
  users: { posts: r.hasMany('posts', { foreignKey: 'authorId' }) },
  posts: { author: r.belongsTo('users', { foreignKey: 'authorId' }), tags: r.belongsToMany('tags', { pivot: 'postTags' }) },
  tags: { posts: r.belongsToMany('posts', { pivot: 'postTags' }) },
}))
export type TestSchema = typeof schema
