import {
  ForeignKeyConstraintError, NotNullConstraintError, QueryError, sql, UniqueConstraintError, UnknownColumnError,
  ValidationError,
} from '@orm/core'
import { describe, expect, it } from 'vitest'
import { seed, useDb, type ConformanceOptions } from '../context.js'

export function errorSuite(options: ConformanceOptions) {
  describe('errors', () => {
    const t = useDb(options)

    it('a unique violation is a UniqueConstraintError naming the table, without the value', async () => {
      await t.db.users.insert({ name: 'Ann', email: 'secret@x.io' })
      const error = await t.db.users.insert({ name: 'Ann2', email: 'secret@x.io' }).catch((e) => e)
      expect(error).toBeInstanceOf(UniqueConstraintError)
      expect(error.code).toBe('UNIQUE_VIOLATION')
      expect(error.message).not.toContain('secret@x.io')
    })

    it('a foreign key violation is a ForeignKeyConstraintError', async () => {
      await expect(t.db.posts.insert({ authorId: 987654, title: 'orphan' })).rejects.toBeInstanceOf(ForeignKeyConstraintError)
    })

    it('pointing a foreign key at a missing row with raw SQL is a ForeignKeyConstraintError', async () => {
      const { posts } = await seed(t.db)
      const tag = await t.db.tags.insert({ name: 'x' })
      await t.db.postTags.insert({ postId: posts[0].id, tagId: tag.id })
      await expect(t.db.execute(sql`update ${t.db.postTags} set tag_id = ${123456}`)).rejects.toBeInstanceOf(
        ForeignKeyConstraintError,
      )
    })

    it('a not-null violation is a NotNullConstraintError', async () => {
      await expect(t.db.users.insert({ name: null as never, email: 'n@x' })).rejects.toBeInstanceOf(NotNullConstraintError)
    })

    it('unknown columns and operators are rejected before any SQL runs', async () => {
      expect(() => t.db.users.query().where('nope' as never, 1 as never)).toThrow(UnknownColumnError)
      expect(() => t.db.users.query().where('name" = name; --' as never, 1 as never)).toThrow(UnknownColumnError)
      expect(() => t.db.users.query().orderBy('nope' as never)).toThrow(UnknownColumnError)
      expect(() => t.db.users.query().select('nope' as never)).toThrow(UnknownColumnError)
      expect(() => t.db.users.query().where('name', 'drop' as never, 1)).toThrow(ValidationError)
      const error = (() => {
        try {
          t.db.users.query().where('nmae' as never, 1 as never)
        } catch (e) {
          return e as Error
        }
      })()
      expect(error?.message).toContain('"nmae"')
      expect(error?.message).toContain('email')
      expect(t.log).toHaveLength(0)
    })

    it('limit, offset and order direction are validated', async () => {
      expect(() => t.db.users.query().limit(-1)).toThrow(ValidationError)
      expect(() => t.db.users.query().limit(1.5)).toThrow(ValidationError)
      expect(() => t.db.users.query().offset('1; drop' as never)).toThrow(ValidationError)
      expect(() => t.db.users.query().orderBy('name', 'sideways' as never)).toThrow(ValidationError)
    })

    it('anything else the database says is a QueryError carrying the SQL', async () => {
      const error = await t.db.execute(sql`select * from tk_no_such_table where x = ${'hidden-value'}`).catch((e) => e)
      expect(error).toBeInstanceOf(QueryError)
      expect(error.sql).toContain('tk_no_such_table')
      expect(error.message).not.toContain('hidden-value')
    })
  })
}
