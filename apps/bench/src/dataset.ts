import type { Db } from '@orm/core'
import type { schema } from './schema.js'

export const USERS = 2_000
export const POSTS_PER_USER = 10
const EPOCH = Date.UTC(2025, 0, 1)

export interface UserInput {
  name: string
  email: string
  active: boolean
  score: number
  createdAt: Date
}

export interface PostInput {
  userId: number
  title: string
  body: string
  published: boolean
  views: number
  createdAt: Date
}

/** User number `i` (1-based): the same values on every run and every database. */
export function userInput(i: number): UserInput {
  return {
    name: `User ${i}`,
    email: `user${i}@example.com`,
    active: i % 3 !== 0,
    score: (i * 37) % 1000,
    createdAt: new Date(EPOCH + i * 60_000 + (i % 1000)),
  }
}

/** Post `k` (0-based) of the user with id `userId`. */
export function postInput(userId: number, k: number): PostInput {
  return {
    userId,
    title: `Post ${k + 1} by user ${userId}`,
    body: `Body of post ${k + 1} by user ${userId}. `.repeat(3),
    published: (userId * 7 + k * 3) % 10 < userId % 10, // userId % 10 published posts per user (45% in all)
    views: (userId * 31 + k * 7) % 5000,
    createdAt: new Date(EPOCH + userId * 60_000 + k * 1_000 + k),
  }
}

/** The 100 posts B4 inserts on operation `op`: unpublished, so B3's count never moves. */
export function insertBatch(userIds: readonly number[], op: number, size = 100): PostInput[] {
  const rows: PostInput[] = []
  for (let j = 0; j < size; j++) {
    const userId = userIds[(op * size + j) % userIds.length]
    rows.push({
      userId,
      title: `Bench insert ${op}.${j}`,
      body: `Inserted by the bench, operation ${op}, row ${j}.`,
      published: false,
      views: j,
      createdAt: new Date(EPOCH + op * 1_000 + j),
    })
  }
  return rows
}

export interface Dataset {
  readonly userIds: number[]
  readonly maxPostId: number
  readonly postIds: number[]
  readonly tagIds: number[]
  readonly maxUserId: number
}

export const TAGS = 50
export const COMMENTS_PER_POST = 5
export const TAGS_PER_POST = 3

/** The three tag indexes (0-based, into Dataset.tagIds) of a post, shifted by `shift` for W7's syncs. */
export function tagIndexes(postId: number, shift = 0): number[] {
  const t0 = (postId + shift) % TAGS
  return [t0, (t0 + 17) % TAGS, (t0 + 34) % TAGS]
}
export const profileBio = (userId: number): string => `Bio of user ${userId}`
export const commentBody = (postId: number, c: number): string => `Comment ${c + 1} on post ${postId}`
export const imageUrl = (type: string, id: number): string => `https://img.example/${type}/${id}.png`

/**
 * Drops and recreates the bench tables, then fills them through the ORM's bulk inserts: 2,000 users, a profile
 * each, 10 posts each, 5 comments per post, 50 tags, 3 tags per post, an image per user and per post.
 */
export async function seed(db: Db<typeof schema>): Promise<Dataset> {
  await db.schema.drop()
  await db.schema.create()
  const userIds: number[] = []
  const CHUNK = 500
  for (let start = 1; start <= USERS; start += CHUNK) {
    const inputs = []
    for (let i = start; i < start + CHUNK && i <= USERS; i++) inputs.push(userInput(i))
    const rows = await db.users.insert(inputs)
    for (const row of rows) userIds.push(row.id)
  }
  let maxPostId = 0
  const postIds: number[] = []
  for (let start = 0; start < userIds.length; start += 100) {
    const inputs: PostInput[] = []
    for (const userId of userIds.slice(start, start + 100)) {
      for (let k = 0; k < POSTS_PER_USER; k++) inputs.push(postInput(userId, k))
    }
    const rows = await db.posts.insert(inputs)
    for (const row of rows) {
      maxPostId = Math.max(maxPostId, row.id)
      postIds.push(row.id)
    }
  }
  await db.profiles.insert(userIds.map((userId) => ({ userId, bio: profileBio(userId) })))
  const tagRows = await db.tags.insert(Array.from({ length: TAGS }, (_, n) => ({ name: `tag-${n + 1}` })))
  const tagIds = tagRows.map((t) => t.id)
  for (let start = 0; start < postIds.length; start += 1_000) {
    const slice = postIds.slice(start, start + 1_000)
    const comments = slice.flatMap((postId) => Array.from({ length: COMMENTS_PER_POST }, (_, c) => ({ postId, body: commentBody(postId, c) })))
    await db.comments.insert(comments)
    await db.postTags.insert(slice.flatMap((postId) => tagIndexes(postId).map((t) => ({ postId, tagId: tagIds[t] }))))
    await db.images.insert(slice.map((id) => ({ imageableId: id, imageableType: 'posts', url: imageUrl('posts', id) })))
  }
  await db.images.insert(userIds.map((id) => ({ imageableId: id, imageableType: 'users', url: imageUrl('users', id) })))
  return { userIds, maxPostId, postIds, tagIds, maxUserId: Math.max(...userIds) }
}
