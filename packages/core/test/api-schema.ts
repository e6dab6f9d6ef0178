import { col, defineSchema, model, table, type ColumnRef, type Row } from '../src/index.js'

/**
 * The schema of API.md section 2 (tables of section 1, plus the ones section 2 leaves to "..."), shared by the
 * core tests: relations.test.ts checks what it resolves to, relation-types.test.ts and graph-types.test.ts what
 * the query and write APIs type on it. Nothing here connects.
 */
export const users = table('users', {
  ...model(),
  name: col.string({ length: 255 }),
  email: col.string().unique(),
  managerId: col.bigint().nullable().references((): ColumnRef => users.id),
})
export const profiles = table('profiles', { id: col.id(), userId: col.bigint().references(() => users.id), bio: col.text(), website: col.string().nullable() })
export const posts = table('posts', {
  id: col.id(),
  authorId: col.bigint().references(() => users.id, { onDelete: 'cascade' }),
  title: col.string(),
  body: col.text().nullable(),
  published: col.boolean().default(false),
  views: col.integer().default(0),
  createdAt: col.timestamp().defaultNow(),
})
export const comments = table('comments', { id: col.id(), commentableId: col.bigint(), commentableType: col.string(), body: col.text(), likes: col.integer().default(0) })
export const tags = table('tags', { id: col.id(), name: col.string() })
export const postTags = table(
  'post_tags',
  {
    postId: col.bigint().references(() => posts.id, { onDelete: 'cascade' }),
    tagId: col.bigint().references(() => tags.id, { onDelete: 'cascade' }),
    position: col.integer().default(0),
  },
  { primaryKey: ['postId', 'tagId'] },
)
export const roles = table('roles', { id: col.id(), name: col.string() })
export const images = table('images', { id: col.id(), imageableId: col.bigint(), imageableType: col.string(), url: col.string() })
export const videos = table('videos', { id: col.id(), title: col.string() })

export const schema = defineSchema({ users, profiles, posts, comments, tags, postTags, roles, images, videos }, (r) => ({
  users: {
    profile: r.hasOne('profiles'),
    posts: r.hasMany('posts', { foreignKey: 'authorId' }),
    manager: r.belongsTo('users', { foreignKey: 'managerId' }),
    reports: r.hasMany('users', { foreignKey: 'managerId' }),
    roles: r.belongsToMany('roles', { pivot: 'role_user' }),
    images: r.morphMany('images', { morph: 'imageable' }),
    avatar: r.morphOne('images', { morph: 'imageable' }),
    comments: r.hasManyThrough('comments', { through: 'posts' }),
    firstComment: r.hasOneThrough('comments', { through: 'posts' }),
  },
  profiles: { user: r.belongsTo('users') },
  posts: {
    author: r.belongsTo('users', { foreignKey: 'authorId' }),
    comments: r.morphMany('comments', { morph: 'commentable', morphValue: 'post' }),
    tags: r.belongsToMany('tags', { pivot: 'postTags', pivotColumns: ['position'] }),
  },
  comments: { commentable: r.morphTo({ types: { post: 'posts' } }) },
  tags: {
    posts: r.belongsToMany('posts', { pivot: 'postTags' }),
    videos: r.morphedByMany('videos', { morph: 'taggable' }),
  },
  roles: { users: r.belongsToMany('users', { pivot: 'role_user' }) },
  images: { imageable: r.morphTo({ morph: 'imageable', types: { users: 'users', posts: 'posts' } }) },
  videos: { tags: r.morphToMany('tags', { morph: 'taggable' }) },
}))

/** The row types of the schema, for the type tests. */
export type S = typeof schema
export type User = Row<S, 'users'>
export type Profile = Row<S, 'profiles'>
export type Post = Row<S, 'posts'>
export type Comment = Row<S, 'comments'>
export type Tag = Row<S, 'tags'>
export type Role = Row<S, 'roles'>
export type Image = Row<S, 'images'>
export type Video = Row<S, 'videos'>
export type Pivot = { pivot: Record<string, unknown> }

/** Merges intersections at every depth (through arrays and unions), leaving Dates and byte arrays as they are. */
export type Flat<T> = T extends Date | Uint8Array ? T : T extends readonly (infer E)[] ? Flat<E>[] : T extends object ? { [K in keyof T]: Flat<T[K]> } : T

/** The flattened result type of a query or write function, which is never called. */
export const result = <T>(_query: () => Promise<T>): Flat<T> => undefined as never
