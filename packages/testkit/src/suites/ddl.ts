import { ForeignKeyConstraintError, sql, UniqueConstraintError, ValidationError, type Db } from '@orm/core'
import { afterAll, describe, expect, it } from 'vitest'
import { useDb, type ConformanceOptions } from '../context.js'
import type { TestSchema } from '../fixtures.js'

const ALTER_TABLES = ['tk_alt_members', 'tk_alt_teams', 'tk_alt_crews', 'tk_alt_old', 'tk_alt_new']

/** The number of rows a where clause matches (`select count(*)` read as a number on every database). */
async function count(db: Db<TestSchema>, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await db.execute<{ n: unknown }>(query)
  return Number(row.n)
}

/** tk_alt_teams (id, name) and tk_alt_members (id, name, legacy) with one member, made afresh. */
async function membersTable(db: Db<TestSchema>): Promise<void> {
  for (const name of ALTER_TABLES) await db.schema.dropTableIfExists(name)
  await db.schema.createTable('tk_alt_teams', (t) => {
    t.id()
    t.string('name')
  })
  await db.schema.createTable('tk_alt_members', (t) => {
    t.id()
    t.string('name')
    t.string('legacy').nullable()
  })
  await db.execute(sql`insert into tk_alt_members (name, legacy) values (${'Ann'}, ${'old'})`)
}

export function ddlSuite(options: ConformanceOptions) {
  describe('ddl: schema, createTable, alterTable, withLock', () => {
    const t = useDb(options)
    afterAll(async () => {
      for (const name of ['tk_bp_post_tag', 'tk_bp_posts', ...ALTER_TABLES]) await t.db?.schema.dropTable(name, { ifExists: true })
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

    it('alterTable adds columns with the createTable methods: nullable, defaults for existing rows, unique, index', async () => {
      await membersTable(t.db)
      expect(await t.db.schema.hasColumn('tk_alt_members', 'nickname')).toBe(false)
      await t.db.schema.alterTable('tk_alt_members', (b) => {
        b.string('nickname').nullable()
        b.integer('score').default(7).index()
        b.boolean('active').default(true)
        b.string('code', 20).nullable().unique()
      })
      for (const column of ['nickname', 'score', 'active', 'code']) expect(await t.db.schema.hasColumn('tk_alt_members', column)).toBe(true)
      const [ann] = await t.db.execute<{ nickname: unknown; score: unknown }>(sql`select nickname, score from tk_alt_members`)
      expect(ann.nickname).toBeNull()
      expect(Number(ann.score)).toBe(7)
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members where active = ${true}`)).toBe(1)
      await t.db.execute(sql`insert into tk_alt_members (name, code) values (${'Bob'}, ${'B1'})`)
      await expect(t.db.execute(sql`insert into tk_alt_members (name, code) values (${'Cid'}, ${'B1'})`)).rejects.toBeInstanceOf(
        UniqueConstraintError,
      )
      // .unique() is named <table>_<column>_unique, so dropUnique finds it by its column.
      await t.db.schema.alterTable('tk_alt_members', (b) => b.dropUnique(['code']))
      await t.db.execute(sql`insert into tk_alt_members (name, code) values (${'Cid'}, ${'B1'})`)
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members where code = ${'B1'}`)).toBe(2)
    })

    it('alterTable renames and drops columns, keeping the data of the others', async () => {
      await membersTable(t.db)
      await t.db.schema.alterTable('tk_alt_members', (b) => {
        b.renameColumn('name', 'fullName')
        b.dropColumn('legacy')
      })
      expect(await t.db.schema.hasColumn('tk_alt_members', 'full_name')).toBe(true)
      expect(await t.db.schema.hasColumn('tk_alt_members', 'name')).toBe(false)
      expect(await t.db.schema.hasColumn('tk_alt_members', 'legacy')).toBe(false)
      const rows = await t.db.execute<{ full_name: string }>(sql`select full_name from tk_alt_members`)
      expect(rows.map((r) => r.full_name)).toEqual(['Ann'])
      await expect(t.db.execute(sql`select legacy from tk_alt_members`)).rejects.toThrow()
    })

    it('alterTable adds a nullable foreignId().constrained() to an existing table: enforced, with its action', async () => {
      await membersTable(t.db)
      await t.db.schema.alterTable('tk_alt_members', (b) => {
        b.foreignId('teamId').nullable().constrained('tk_alt_teams').onDelete('set null')
      })
      expect(await t.db.schema.hasColumn('tk_alt_members', 'team_id')).toBe(true)
      await expect(t.db.execute(sql`insert into tk_alt_members (name, team_id) values (${'Bob'}, ${999999})`)).rejects.toBeInstanceOf(
        ForeignKeyConstraintError,
      )
      await t.db.execute(sql`insert into tk_alt_teams (name) values (${'red'})`)
      const [team] = await t.db.execute<{ id: unknown }>(sql`select id from tk_alt_teams`)
      await t.db.execute(sql`update tk_alt_members set team_id = ${Number(team.id)}`)
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members where team_id = ${Number(team.id)}`)).toBe(1)
      await t.db.execute(sql`delete from tk_alt_teams`)
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members where team_id is null`)).toBe(1)
    })

    it('a NOT NULL foreign key, a foreign key dropped: done, or (SQLite) a ValidationError before anything runs', async () => {
      await membersTable(t.db)
      await t.db.execute(sql`delete from tk_alt_members`)
      const added = await t.db.schema
        .alterTable('tk_alt_members', (b) => {
          b.string('note').nullable()
          b.foreignId('teamId').constrained('tk_alt_teams').onDelete('cascade')
        })
        .then(() => true, (error: unknown) => error)
      if (added !== true) {
        // SQLite's ADD COLUMN takes a REFERENCES clause only on a nullable column: refused, and nothing ran.
        expect(added).toBeInstanceOf(ValidationError)
        expect((added as Error).message).toMatch(/SQLite cannot add column "team_id" with a foreign key/)
        expect(await t.db.schema.hasColumn('tk_alt_members', 'note')).toBe(false)
        await expect(t.db.schema.alterTable('tk_alt_members', (b) => b.dropForeign(['teamId']))).rejects.toBeInstanceOf(ValidationError)
        return
      }
      await t.db.execute(sql`insert into tk_alt_teams (name) values (${'red'})`)
      const [team] = await t.db.execute<{ id: unknown }>(sql`select id from tk_alt_teams`)
      await t.db.execute(sql`insert into tk_alt_members (name, team_id) values (${'Bob'}, ${Number(team.id)})`)
      await expect(t.db.execute(sql`insert into tk_alt_members (name) values (${'Cid'})`)).rejects.toThrow() // NOT NULL
      await t.db.execute(sql`delete from tk_alt_teams`)
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members`)).toBe(0) // cascaded
      await t.db.schema.alterTable('tk_alt_members', (b) => b.dropForeign(['teamId']))
      await t.db.execute(sql`insert into tk_alt_members (name, team_id) values (${'Dee'}, ${999999})`) // no longer enforced
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members where team_id = ${999999}`)).toBe(1)
    })

    it('alterTable index and unique by columns, dropIndex and dropUnique by columns or name', async () => {
      await membersTable(t.db)
      await t.db.schema.alterTable('tk_alt_members', (b) => {
        b.index(['name'])
        b.unique(['legacy'], 'tk_alt_legacy_once')
      })
      // The index exists: the same name again is refused.
      await expect(t.db.schema.alterTable('tk_alt_members', (b) => b.index(['name']))).rejects.toThrow()
      await expect(t.db.execute(sql`insert into tk_alt_members (name, legacy) values (${'Bob'}, ${'old'})`)).rejects.toBeInstanceOf(
        UniqueConstraintError,
      )
      await t.db.schema.alterTable('tk_alt_members', (b) => {
        b.dropIndex(['name'])
        b.dropUnique('tk_alt_legacy_once')
      })
      await t.db.execute(sql`insert into tk_alt_members (name, legacy) values (${'Bob'}, ${'old'})`)
      expect(await count(t.db, sql`select count(*) as n from tk_alt_members where legacy = ${'old'}`)).toBe(2)
      await t.db.schema.alterTable('tk_alt_members', (b) => b.index(['name'])) // the name is free again
    })

    it('renameTable keeps rows and the foreign keys that point at it; hasTable, dropTableIfExists', async () => {
      await membersTable(t.db)
      await t.db.schema.alterTable('tk_alt_members', (b) => b.foreignId('teamId').nullable().constrained('tk_alt_teams'))
      await t.db.execute(sql`insert into tk_alt_teams (name) values (${'red'})`)
      await t.db.schema.renameTable('tk_alt_teams', 'tk_alt_crews')
      expect(await t.db.schema.hasTable('tk_alt_teams')).toBe(false)
      expect(await t.db.schema.hasTable('tk_alt_crews')).toBe(true)
      const [crew] = await t.db.execute<{ id: unknown; name: string }>(sql`select id, name from tk_alt_crews`)
      expect(crew.name).toBe('red')
      await t.db.execute(sql`insert into tk_alt_members (name, team_id) values (${'Bob'}, ${Number(crew.id)})`)
      await expect(t.db.execute(sql`insert into tk_alt_members (name, team_id) values (${'Cid'}, ${999999})`)).rejects.toBeInstanceOf(
        ForeignKeyConstraintError,
      )
      await t.db.schema.dropTableIfExists('tk_alt_members')
      await t.db.schema.dropTableIfExists('tk_alt_members') // nothing to drop: no error
      expect(await t.db.schema.hasTable('tk_alt_members')).toBe(false)
      await expect(t.db.schema.dropTable('tk_alt_members')).rejects.toThrow()
    })

    it('alterTable is one transaction where DDL is transactional: a failing change undoes the ones before it', async () => {
      await membersTable(t.db)
      await expect(
        t.db.schema.alterTable('tk_alt_members', (b) => {
          b.string('nickname').nullable()
          b.dropColumn('no_such_column')
        }),
      ).rejects.toThrow()
      // MySQL commits each ALTER TABLE: the column added before the failure stays there.
      expect(await t.db.schema.hasColumn('tk_alt_members', 'nickname')).toBe(!t.db.dialect.capabilities.transactionalDdl)
    })

    it('withLock returns what its function returns and is released when the function throws', async () => {
      const value = await t.db.schema.withLock('tk_lock', async (db) => {
        await db.execute(sql`select 1 as one`)
        return 42
      })
      expect(value).toBe(42)
      await expect(t.db.schema.withLock('tk_lock', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
      expect(await t.db.schema.withLock('tk_lock', async () => 'again', { timeoutMs: 2000 })).toBe('again')
    })
  })
}
