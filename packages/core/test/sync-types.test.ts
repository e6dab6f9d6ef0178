import { describe, expectTypeOf, it } from 'vitest'
import { col, createDb, defineSchema, table, type SyncResult } from '../src/index.js'
import { fakeDialect } from './fake-dialect.js'

const posts = table('posts', { id: col.id(), title: col.string() })
const tags = table('tags', { id: col.id(), name: col.string() })
const postTags = table('post_tags', { postId: col.bigint(), tagId: col.bigint() }, { primaryKey: ['postId', 'tagId'] })
const schema = defineSchema({ posts, tags, postTags }, (r) => ({
  posts: { tags: r.belongsToMany('tags', { pivot: 'postTags' }) },
}))
const db = createDb({ schema, dialect: fakeDialect() })
const post = { id: 1, title: 'a' }

describe('sync: one result for one row, one per row for a batch (type level; nothing runs)', () => {
  it('related(row) resolves to a SyncResult, related(rows) to SyncResult[]', () => {
    const one = () => db.posts.related(post, 'tags').sync([1, 2], { detaching: false })
    expectTypeOf(one).returns.resolves.toEqualTypeOf<SyncResult>()
    const many = () => db.posts.related([post, post], 'tags').sync([1], { 2: { } })
    expectTypeOf(many).returns.resolves.toEqualTypeOf<SyncResult[]>()
  })
})
