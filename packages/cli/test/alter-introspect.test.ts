import { createDb, defineSchema } from '@orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { introspect } from '../src/index.js'
import { announceSkips, targets, tempDir } from './helpers.js'

announceSkips('alter-introspect.test.ts')

const TABLES = ['cli_alt_members', 'cli_alt_crews', 'cli_alt_teams']

// What alterTable did, read back by the introspector `orm pull` uses: columns, nullability, defaults, uniques,
// foreign keys with their actions, and a renamed table that the foreign key follows.
for (const target of targets) {
  describe.skipIf(!!target.skip)(`alterTable read back by the ${target.name} introspector`, () => {
    const tmp = tempDir(`alter-${target.name}`)
    const db = createDb({ schema: defineSchema({}), dialect: target.dialect(tmp.dir) })
    const drop = async () => {
      for (const name of TABLES) await db.schema.dropTableIfExists(name)
    }

    beforeAll(drop)
    afterAll(async () => {
      await drop()
      await db.close()
      tmp.remove()
    })

    it('added, renamed and dropped columns, a unique, a foreign key; renameTable', async () => {
      await db.schema.createTable('cli_alt_teams', (t) => {
        t.id()
        t.string('name')
      })
      await db.schema.createTable('cli_alt_members', (t) => {
        t.id()
        t.string('name')
        t.string('legacy').nullable()
      })
      await db.schema.alterTable('cli_alt_members', (t) => {
        t.string('code', 20).nullable().unique()
        t.integer('score').default(3)
        t.foreignId('teamId').nullable().constrained('cli_alt_teams').onDelete('set null')
        t.renameColumn('name', 'fullName')
        t.dropColumn('legacy')
      })
      await db.schema.renameTable('cli_alt_teams', 'cli_alt_crews')

      const tables = await introspect(target.dialect(tmp.dir))
      expect(tables.map((t) => t.name)).not.toContain('cli_alt_teams')
      const members = tables.find((t) => t.name === 'cli_alt_members')!
      expect(members.columns.map((c) => c.name)).toEqual(['id', 'full_name', 'code', 'score', 'team_id'])
      const column = (name: string) => members.columns.find((c) => c.name === name)!
      expect(column('code').nullable).toBe(true)
      expect(column('code').dataType.toLowerCase()).toMatch(/varchar\(20\)|character varying\(20\)/)
      expect(column('score').nullable).toBe(false)
      expect(column('score').default).toMatch(/^'?3'?$/)
      expect(column('team_id').nullable).toBe(true)
      expect(members.uniques).toEqual([['code']])
      expect(members.foreignKeys).toEqual([
        expect.objectContaining({ columns: ['team_id'], referencedTable: 'cli_alt_crews', referencedColumns: ['id'], onDelete: 'set null' }),
      ])
    })
  })
}
