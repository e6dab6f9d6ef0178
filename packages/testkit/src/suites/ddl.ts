import { ForeignKeyConstraintError, sql } from '@orm/core'
import { afterAll, describe, expect, it } from 'vitest'
import { useDb, type ConformanceOptions } from '../context.js'

export function ddlSuite(options: ConformanceOptions) {
  describe('schema and DDL', () => {
    const t = useDb(options)
    afterAll(async () => {
      for (const name of ['tk_bp_post_tag', 'tk_bp_posts']) await t.db?.schema.dropTable(name, { ifExists: true })
    })

    it('createTable with foreignId().constrained().onDelete(), a composite key and an index', async () => {
      await t.db.schema.dropTable('tk_bp_post_tag', { ifExists: true })
      await t.db.schema.dropTable('tk_bp_posts', { ifExists: true })
      await t.db.schema.createTable('tk_bp_posts', (b) => {
        b.id()
        b.string('title').index()
        b.boolean('published').default(false)
        b.json('meta').nullable()
        b.timestamps()
      })
      await t.db.schema.createTable('tk_bp_post_tag', (b) => {
        b.foreignId('postId').constrained('tk_bp_posts').onDelete('cascade')
        b.foreignId('tagId').constrained('tags').onDelete('cascade')
        b.integer('position').default(0)
        b.primary(['postId', 'tagId'])
      })
      const tag = await t.db.tags.insert({ name: 'x' })
      await t.db.execute(sql`insert into tk_bp_posts (title) values (${'a'})`)
      const [post] = await t.db.execute<{ id: number; published: unknown }>(sql`select id, published from tk_bp_posts`)
      await t.db.execute(sql`insert into tk_bp_post_tag (post_id, tag_id) values (${post.id}, ${tag.id})`)
      await expect(t.db.execute(sql`insert into tk_bp_post_tag (post_id, tag_id) values (${999999}, ${tag.id})`)).rejects.toBeInstanceOf(
        ForeignKeyConstraintError,
      )
      const [before] = await t.db.execute<{ n: unknown }>(sql`select count(*) as n from tk_bp_post_tag where position = ${0}`)
      expect(Number(before.n)).toBe(1)
      await t.db.tags.delete(tag.id)
      const [after] = await t.db.execute<{ n: unknown }>(sql`select count(*) as n from tk_bp_post_tag`)
      expect(Number(after.n)).toBe(0)
    })

    it('schema.create made foreign keys that cascade and set null', async () => {
      const ann = await t.db.users.insert({ name: 'Ann', email: 'a@x' })
      const bob = await t.db.users.insert({ name: 'Bob', email: 'b@x', managerId: ann.id })
      await t.db.posts.insert({ authorId: ann.id, title: 'p' })
      await t.db.users.delete(ann.id, { force: true })
      expect(await t.db.posts.query().count()).toBe(0)
      expect((await t.db.users.find(bob.id))?.managerId).toBeNull()
    })

    it('schema.create is idempotent with ifNotExists and lists its statements', async () => {
      await t.db.schema.create({ ifNotExists: true })
      const statements = t.db.schema.createStatements()
      expect(statements.some((s) => /CREATE TABLE .tk_posts./.test(s))).toBe(true)
      expect(statements.findIndex((s) => /CREATE TABLE .tk_users./.test(s))).toBeLessThan(
        statements.findIndex((s) => /CREATE TABLE .tk_posts./.test(s)),
      )
    })
  })
}
