import { col, defineSchema, table } from '@orm/core'

/**
 * The bench tables. Plain tables (no soft delete, no automatic timestamps), so the raw SQL and the ORM do
 * exactly the same work; every name starts with `bench_` so the run never touches anything else.
 */
export const users = table('bench_users', {
  id: col.id(),
  name: col.string({ length: 100 }),
  email: col.string().unique(),
  active: col.boolean(),
  score: col.integer(),
  createdAt: col.timestamp(),
})

export const posts = table('bench_posts', {
  id: col.id(),
  userId: col.bigint().references(() => users.id, { onDelete: 'cascade' }).index(), // column user_id
  title: col.string(),
  body: col.text(),
  published: col.boolean().index(),
  views: col.integer(),
  createdAt: col.timestamp(),
})

export const profiles = table('bench_profiles', {
  id: col.id(),
  userId: col.bigint().references(() => users.id, { onDelete: 'cascade' }).unique(),
  bio: col.string(),
})

export const comments = table('bench_comments', {
  id: col.id(),
  postId: col.bigint().references(() => posts.id, { onDelete: 'cascade' }).index(),
  body: col.string(),
})

export const tags = table('bench_tags', { id: col.id(), name: col.string().unique() })

export const postTags = table(
  'bench_post_tags',
  {
    postId: col.bigint().references(() => posts.id, { onDelete: 'cascade' }),
    tagId: col.bigint().references(() => tags.id, { onDelete: 'cascade' }).index(),
  },
  { primaryKey: ['postId', 'tagId'] },
)

export const images = table('bench_images', {
    id: col.id(),
    url: col.string(),
    imageableId: col.bigint(),
    imageableType: col.string({ length: 20 }),
})  // the morphMany relations index (imageable_type, imageable_id)

export const schema = defineSchema({ users, posts, profiles, comments, tags, postTags, images }, (r) => ({
  users: {
    profile: r.hasOne('profiles'),
    posts: r.hasMany('posts'),
    comments: r.hasManyThrough('comments', { through: 'posts' }),
    images: r.morphMany('images', { morph: 'imageable' }),
  },
  posts: {
    author: r.belongsTo('users', { foreignKey: 'userId' }),
    comments: r.hasMany('comments'),
    tags: r.belongsToMany('tags', { pivot: 'postTags' }),
    images: r.morphMany('images', { morph: 'imageable' }),
  },
  tags: { posts: r.belongsToMany('posts', { pivot: 'postTags' }) },
}))

/** The columns of each table in select-list order: property, database column, and how to compare values. */
export type Kind = 'int' | 'string' | 'bool' | 'timestamp'
export interface ColumnSpec {
  readonly prop: string
  readonly column: string
  readonly kind: Kind
}

export const userColumns: readonly ColumnSpec[] = [
  { prop: 'id', column: 'id', kind: 'int' },
  { prop: 'name', column: 'name', kind: 'string' },
  { prop: 'email', column: 'email', kind: 'string' },
  { prop: 'active', column: 'active', kind: 'bool' },
  { prop: 'score', column: 'score', kind: 'int' },
  { prop: 'createdAt', column: 'created_at', kind: 'timestamp' },
]

export const postColumns: readonly ColumnSpec[] = [
  { prop: 'id', column: 'id', kind: 'int' },
  { prop: 'userId', column: 'user_id', kind: 'int' },
  { prop: 'title', column: 'title', kind: 'string' },
  { prop: 'body', column: 'body', kind: 'string' },
  { prop: 'published', column: 'published', kind: 'bool' },
  { prop: 'views', column: 'views', kind: 'int' },
  { prop: 'createdAt', column: 'created_at', kind: 'timestamp' },
]

/** `id, name, ...`: the select list a hand-written query uses, the same columns the ORM reads. */
export function selectList(columns: readonly ColumnSpec[]): string {
  return columns.map((c) => c.column).join(', ')
}
