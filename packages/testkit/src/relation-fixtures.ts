import { col, defineSchema, model, table, type ColumnRef } from '@orm/core'

/** The schema of API.md section 2, prefixed so the suite never touches user tables. */
export const users = table('rk_users', {
  ...model(),
  name: col.string(),
  email: col.string().unique(),
  managerId: col.bigint().nullable().references((): ColumnRef => users.id, { onDelete: 'set null' }),
})
export const profiles = table('rk_profiles', {
  id: col.id(),
  userId: col.bigint().references(() => users.id, { onDelete: 'cascade' }),
  bio: col.string(),
  website: col.string().nullable(),
})
export const posts = table('rk_posts', {
  id: col.id(),
  authorId: col.bigint().references(() => users.id, { onDelete: 'cascade' }),
  title: col.string(),
  published: col.boolean().default(false),
  views: col.integer().default(0),
  createdAt: col.timestamp(),
})
export const comments = table('rk_comments', {
  id: col.id(),
  commentableId: col.bigint(),
  commentableType: col.string({ length: 50 }),
  body: col.string(),
  likes: col.integer().default(0),
})
export const tags = table('rk_tags', { id: col.id(), name: col.string().unique() })
export const postTags = table(
  'rk_post_tags',
  {
    postId: col.bigint().references(() => posts.id, { onDelete: 'cascade' }),
    tagId: col.bigint().references(() => tags.id, { onDelete: 'cascade' }),
    position: col.integer().default(0),
  },
  { primaryKey: ['postId', 'tagId'] },
)
export const roles = table('rk_roles', { id: col.id(), name: col.string() })
export const images = table('rk_images', {
  id: col.id(),
  url: col.string(),
  imageableId: col.bigint(),
  imageableType: col.string({ length: 50 }),
})
export const videos = table('rk_videos', { id: col.id(), title: col.string() })

export const relationSchema = defineSchema({ users, profiles, posts, comments, tags, postTags, roles, images, videos }, (r) => ({
  users: {
    profile: r.hasOne('profiles'),
    posts: r.hasMany('posts', { foreignKey: 'authorId' }),
    manager: r.belongsTo('users', { foreignKey: 'managerId' }),
    reports: r.hasMany('users', { foreignKey: 'managerId' }),
    roles: r.belongsToMany('roles', { pivot: 'rk_role_user' }),
    images: r.morphMany('images', { morph: 'imageable' }),
    avatar: r.morphOne('images', { morph: 'imageable' }),
    comments: r.hasManyThrough('comments', { through: 'posts' }),
  },
  profiles: { user: r.belongsTo('users') },
  posts: {
    author: r.belongsTo('users', { foreignKey: 'authorId' }),
    comments: r.morphMany('comments', { morph: 'commentable', morphValue: 'post' }),
    tags: r.belongsToMany('tags', { pivot: 'postTags', pivotColumns: ['position'] }),
    images: r.morphMany('images', { morph: 'imageable' }),
  },
  comments: { commentable: r.morphTo({ morph: 'commentable', types: { post: 'posts' } }) },
  tags: {
    posts: r.belongsToMany('posts', { pivot: 'postTags' }),
    videos: r.morphedByMany('videos', { morph: 'taggable', pivot: 'rk_taggables' }),
  },
  roles: { users: r.belongsToMany('users', { pivot: 'rk_role_user' }) },
  images: { imageable: r.morphTo({ morph: 'imageable', types: { users: 'users', posts: 'posts' } }) },
  videos: { tags: r.morphToMany('tags', { morph: 'taggable', pivot: 'rk_taggables' }) },
}))
export type RelationSchema = typeof relationSchema
