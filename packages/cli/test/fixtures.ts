import { col, defineSchema, model, table, type AnySchema, type ColumnRef, type ResolvedRelation } from '@orm/core'

/**
 * The round-trip schema: every column kind, nullability, defaults, a composite unique, a self-reference, a
 * one-to-one key, two keys to the same table, a pivot with an extra column and a self-referencing pivot. Its
 * relations are the ones `orm pull` derives from its foreign keys, under the names pull gives them.
 */
export const cliPullUsers = table('cli_pull_users', {
  ...model(),
  name: col.string(),
  email: col.string({ length: 100 }).unique(),
  managerId: col.bigint().nullable().references((): ColumnRef => cliPullUsers.id, { onDelete: 'set null' }),
  bio: col.text().nullable(),
  active: col.boolean().default(true),
  score: col.float().default(0.5),
  balance: col.decimal({ precision: 12, scale: 4 }).default('0.0000'),
  settings: col.json<{ theme: string }>().default({ theme: 'dark' }),
  token: col.uuid().unique(),
  avatar: col.binary().nullable(),
  role: col.enum(['admin', 'member']).default('member'),
  birthday: col.date().nullable(),
})

export const cliPullProfiles = table('cli_pull_profiles', {
  id: col.id(),
  userId: col.bigint().unique().references(() => cliPullUsers.id, { onDelete: 'cascade' }),
  website: col.string().nullable(),
})

export const cliPullPosts = table('cli_pull_posts', {
  id: col.id(),
  authorId: col.bigint().references(() => cliPullUsers.id, { onDelete: 'cascade' }),
  editorId: col.bigint().nullable().references(() => cliPullUsers.id, { onDelete: 'set null' }),
  title: col.string(),
  slug: col.string({ length: 191 }),
  views: col.integer().default(0),
  publishedAt: col.timestamp().nullable(),
  createdAt: col.timestamp().defaultNow(),
}, { uniques: [['authorId', 'slug']] })

export const cliPullTags = table('cli_pull_tags', {
  id: col.id(),
  name: col.string({ length: 50 }).unique(),
})

export const cliPullPostTags = table('cli_pull_post_tags', {
  postId: col.bigint().references(() => cliPullPosts.id, { onDelete: 'cascade' }),
  tagId: col.bigint().references(() => cliPullTags.id, { onDelete: 'cascade' }),
  position: col.integer().default(0),
}, { primaryKey: ['postId', 'tagId'] })

export const cliPullComments = table('cli_pull_comments', {
  id: col.id(),
  postId: col.bigint().references(() => cliPullPosts.id, { onDelete: 'cascade' }),
  body: col.text(),
  createdAt: col.timestamp(),
  updatedAt: col.timestamp(),
}, { timestamps: true })

export const cliPullFollows = table('cli_pull_follows', {
  followerId: col.bigint().references(() => cliPullUsers.id, { onDelete: 'cascade' }),
  followedId: col.bigint().references(() => cliPullUsers.id, { onDelete: 'cascade' }),
  since: col.timestamp().defaultNow(),
}, { primaryKey: ['followerId', 'followedId'] })

export const pullSchema = defineSchema(
  { cliPullUsers, cliPullProfiles, cliPullPosts, cliPullTags, cliPullPostTags, cliPullComments, cliPullFollows },
  (r) => ({
    cliPullUsers: {
      manager: r.belongsTo('cliPullUsers'),
      cliPullProfile: r.hasOne('cliPullProfiles', { foreignKey: 'userId' }),
      cliPullPostsAsAuthor: r.hasMany('cliPullPosts', { foreignKey: 'authorId' }),
      cliPullPostsAsEditor: r.hasMany('cliPullPosts', { foreignKey: 'editorId' }),
      cliPullUsersAsManager: r.hasMany('cliPullUsers', { foreignKey: 'managerId' }),
      followeds: r.belongsToMany('cliPullUsers', { pivot: 'cliPullFollows', pivotForeignKey: 'followerId', pivotRelatedKey: 'followedId', pivotColumns: ['since'] }),
      followers: r.belongsToMany('cliPullUsers', { pivot: 'cliPullFollows', pivotForeignKey: 'followedId', pivotRelatedKey: 'followerId', pivotColumns: ['since'] }),
    },
    cliPullProfiles: { user: r.belongsTo('cliPullUsers') },
    cliPullPosts: {
      author: r.belongsTo('cliPullUsers'),
      editor: r.belongsTo('cliPullUsers'),
      cliPullComments: r.hasMany('cliPullComments', { foreignKey: 'postId' }),
      cliPullTags: r.belongsToMany('cliPullTags', { pivot: 'cliPullPostTags', pivotForeignKey: 'postId', pivotRelatedKey: 'tagId', pivotColumns: ['position'] }),
    },
    cliPullTags: {
      cliPullPosts: r.belongsToMany('cliPullPosts', { pivot: 'cliPullPostTags', pivotForeignKey: 'tagId', pivotRelatedKey: 'postId', pivotColumns: ['position'] }),
    },
    cliPullPostTags: { post: r.belongsTo('cliPullPosts'), tag: r.belongsTo('cliPullTags') },
    cliPullComments: { post: r.belongsTo('cliPullPosts') },
    cliPullFollows: { follower: r.belongsTo('cliPullUsers'), followed: r.belongsTo('cliPullUsers') },
  }),
)

/** 'no action' and 'restrict' (MySQL's name for it) are what a foreign key does when it says nothing. */
const action = (a: string | undefined) => (!a || a === 'no action' || a === 'restrict' ? 'default' : a)

function normalizeDefault(def: unknown): unknown {
  if (!def || typeof def !== 'object') return undefined
  if ('now' in def) return 'now'
  if ('random' in def) return 'random'
  const value = (def as { value: unknown }).value
  return value instanceof Date ? value.toISOString() : value
}

const names = (key: readonly { name: string }[] | undefined) => key?.map((c) => c.name)

function describeRelation(rel: ResolvedRelation): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: rel.kind }
  for (const [field, value] of Object.entries(rel)) {
    if (field === 'kind' || field === 'name' || field === 'table' || value instanceof Map) continue
    if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'name' in v)) out[field] = names(value)
    else if (value && typeof value === 'object' && 'meta' in value) out[field] = (value as { meta: { name: string } }).meta.name
    else out[field] = value
  }
  return out
}

/** Everything a schema says about the database and its relations, as plain data to compare. */
export function describeSchema(schema: AnySchema): Record<string, unknown> {
  const tables: Record<string, unknown> = {}
  for (const [key, meta] of schema.meta.tables) {
    const columns: Record<string, unknown> = {}
    for (const c of meta.columns) {
      const ref = c.config.references?.target()
      columns[c.prop] = {
        name: c.name,
        kind: c.kind,
        nullable: c.config.nullable,
        unique: c.config.unique,
        length: c.kind === 'string' ? c.config.length : undefined,
        precision: c.kind === 'decimal' ? c.config.precision : undefined,
        scale: c.kind === 'decimal' ? c.config.scale : undefined,
        values: c.config.values,
        default: normalizeDefault(c.config.default),
        references: ref && {
          table: ref.table.$name,
          column: (ref as { name?: string }).name ?? ref.prop,
          onDelete: action(c.config.references!.onDelete),
          onUpdate: action(c.config.references!.onUpdate),
        },
      }
    }
    const relations: Record<string, unknown> = {}
    for (const [name, rel] of schema.meta.relations.get(key) ?? []) relations[name] = describeRelation(rel)
    tables[key] = {
      name: meta.name,
      primaryKey: meta.primaryKey,
      uniques: meta.indexes.filter((i) => i.unique).map((i) => [...i.columns]),
      createdAt: meta.createdAt?.prop,
      updatedAt: meta.updatedAt?.prop,
      softDelete: meta.softDelete?.prop,
      columns,
      relations,
    }
  }
  return tables
}
