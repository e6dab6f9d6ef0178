import { col, defineSchema, model, table } from '@orm/core'

/** Authors and readers. model() adds id, createdAt, updatedAt and deletedAt (so users soft-delete). */
export const users = table('users', {
  ...model(),
  name: col.string({ length: 100 }),
  email: col.string().unique(),
  role: col.enum(['admin', 'author', 'reader']).default('reader'),
})

export const posts = table('posts', {
  id: col.id(),
  // property authorId <-> column author_id; deleting a user for good deletes their posts
  authorId: col.bigint().references(() => users.id, { onDelete: 'cascade' }),
  title: col.string(),
  slug: col.string().unique(),
  body: col.text().nullable(),
  published: col.boolean().default(false),
  views: col.integer().default(0),
  meta: col.json<{ words: number }>().nullable(),
  publishedOn: col.date().nullable(), // a 'YYYY-MM-DD' string
  createdAt: col.timestamp().defaultNow(),
})

export const tags = table('tags', {
  id: col.id(),
  name: col.string({ length: 50 }).unique(),
})

/** The pivot of posts and tags, with a composite primary key and an extra column. */
export const postTags = table(
  'post_tags',
  {
    postId: col.bigint().references(() => posts.id, { onDelete: 'cascade' }),
    tagId: col.bigint().references(() => tags.id, { onDelete: 'cascade' }),
    position: col.integer().default(0),
  },
  { primaryKey: ['postId', 'tagId'] },
)

/** Images belong to a user or a post: a polymorphic relation (imageable_id + imageable_type). */
export const images = table('images', {
  id: col.id(),
  url: col.string(),
  imageableId: col.bigint(),
  imageableType: col.string({ length: 20 }),
})

export const schema = defineSchema({ users, posts, tags, postTags, images }, (r) => ({
  users: {
    posts: r.hasMany('posts', { foreignKey: 'authorId' }),
    avatar: r.morphOne('images', { morph: 'imageable' }),
  },
  posts: {
    author: r.belongsTo('users', { foreignKey: 'authorId' }),
    tags: r.belongsToMany('tags', { pivot: 'postTags', pivotColumns: ['position'] }),
    images: r.morphMany('images', { morph: 'imageable' }),
  },
  tags: { posts: r.belongsToMany('posts', { pivot: 'postTags' }) },
  images: { imageable: r.morphTo({ morph: 'imageable', types: { users: 'users', posts: 'posts' } }) },
}))
