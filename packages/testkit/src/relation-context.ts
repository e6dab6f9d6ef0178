import { sql, type Db, type LogEvent } from '@orm/core'
import { loggedBy, useSchemaDb, type ConformanceOptions } from './context.js'
import { relationSchema, type RelationSchema } from './relation-fixtures.js'

export interface RelationContext {
  readonly db: Db<RelationSchema>
  readonly log: LogEvent[]
  readonly ids: Awaited<ReturnType<typeof seedRelations>>
  /** Statements run by `fn` (transaction control excluded). */
  statements(fn: () => Promise<unknown>): Promise<number>
}

/** A db on the relation schema, seeded once for a read-only describe block. */
export function useRelationDb(options: ConformanceOptions): RelationContext {
  const ctx: RelationContext = useSchemaDb<RelationSchema, { ids: RelationContext['ids']; statements: RelationContext['statements'] }>(relationSchema, options, {
    async seed(t) {
      t.ids = await seedRelations(t.db)
    },
  })
  ctx.statements = async (fn) => (await loggedBy(ctx.log, fn)).length
  return ctx
}

/** Empties every table of the relation schema (pivots included), for a suite that starts each case afresh. */
export async function emptyRelations(db: Db<RelationSchema>): Promise<void> {
  await db.execute(sql`delete from rk_role_user`)
  await db.execute(sql`delete from rk_taggables`)
  for (const key of ['postTags', 'comments', 'images', 'profiles', 'posts', 'tags', 'roles', 'videos'] as const) await db[key].query().forceDelete()
  await db.users.query().withTrashed().update({ managerId: null })
  await db.users.query().withTrashed().forceDelete()
}

const at = (day: number) => new Date(Date.UTC(2024, 0, day, 12, 0, 0))

/**
 * Ann manages Bob and Cid. Ann has posts Alpha (published), Beta (draft), Gamma (published); Bob has Delta
 * (published); Cid and Dee have none; Dee is soft-deleted. Comments: Alpha 3, Beta 1, Delta 1.
 */
export async function seedRelations(db: Db<RelationSchema>) {
  const [ann, bob, cid, dee] = await db.users.insert([
    { name: 'Ann', email: 'ann@x' },
    { name: 'Bob', email: 'bob@x' },
    { name: 'Cid', email: 'cid@x' },
    { name: 'Dee', email: 'dee@x' },
  ])
  await db.users.query().whereIn('id', [bob.id, cid.id]).update({ managerId: ann.id })
  await db.profiles.insert([{ userId: ann.id, bio: 'Ann bio', website: 'ann.dev' }, { userId: bob.id, bio: 'Bob bio' }])
  const [alpha, beta, gamma, delta] = await db.posts.insert([
    { authorId: ann.id, title: 'Alpha', published: true, views: 10, createdAt: at(1) },
    { authorId: ann.id, title: 'Beta', published: false, views: 5, createdAt: at(2) },
    { authorId: ann.id, title: 'Gamma', published: true, views: 1, createdAt: at(3) },
    { authorId: bob.id, title: 'Delta', published: true, views: 7, createdAt: at(4) },
  ])
  await db.comments.insert([
    { commentableId: alpha.id, commentableType: 'post', body: 'a1', likes: 3 },
    { commentableId: alpha.id, commentableType: 'post', body: 'a2', likes: 0 },
    { commentableId: alpha.id, commentableType: 'post', body: 'a3', likes: 1 },
    { commentableId: beta.id, commentableType: 'post', body: 'b1', likes: 2 },
    { commentableId: delta.id, commentableType: 'post', body: 'd1', likes: 5 },
    { commentableId: alpha.id, commentableType: 'other', body: 'not a post comment', likes: 9 },
  ])
  const [go, ts, sqlTag] = await db.tags.insert([{ name: 'go' }, { name: 'ts' }, { name: 'sql' }])
  await db.postTags.insert([
    { postId: alpha.id, tagId: go.id, position: 2 },
    { postId: alpha.id, tagId: ts.id, position: 1 },
    { postId: beta.id, tagId: sqlTag.id, position: 0 },
    { postId: delta.id, tagId: go.id, position: 0 },
    { postId: delta.id, tagId: ts.id, position: 1 },
    { postId: delta.id, tagId: sqlTag.id, position: 2 },
  ])
  const [admin, editor] = await db.roles.insert([{ name: 'admin' }, { name: 'editor' }])
  for (const [u, r] of [[ann.id, admin.id], [ann.id, editor.id], [bob.id, editor.id]]) {
    await db.execute(sql`insert into rk_role_user (user_id, role_id) values (${u}, ${r})`)
  }
  const [avatar, alphaImage, alphaImage2] = await db.images.insert([
    { url: 'ann.png', imageableId: ann.id, imageableType: 'users' },
    { url: 'alpha-1.png', imageableId: alpha.id, imageableType: 'posts' },
    { url: 'alpha-2.png', imageableId: alpha.id, imageableType: 'posts' },
  ])
  const [clip] = await db.videos.insert([{ title: 'Clip' }, { title: 'Silent' }])
  for (const tag of [ts.id, sqlTag.id]) {
    await db.execute(sql`insert into rk_taggables (taggable_id, taggable_type, tag_id) values (${clip.id}, ${'videos'}, ${tag})`)
  }
  await db.users.delete(dee.id)
  return { ann, bob, cid, dee, alpha, beta, gamma, delta, go, ts, sqlTag, admin, editor, avatar, alphaImage, alphaImage2, clip }
}
