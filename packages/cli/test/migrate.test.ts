import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createDb, defineSchema } from '@orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { introspect } from '../src/index.js'
import { announceSkips, cli, configFile, targets, tempDir, write } from './helpers.js'

announceSkips('migrate.test.ts')

const TABLES = ['cli_mig_reviews', 'cli_mig_books', 'cli_mig_authors', 'cli_mig_broken', 'cli_migrations']

const createAuthors = `import type { MigrationDb } from '@orm/cli'

export async function up(db: MigrationDb) {
  await db.schema.createTable('cli_mig_authors', (t) => {
    t.id()
    t.string('name')
  })
}

export async function down(db: MigrationDb) {
  await db.schema.dropTable('cli_mig_authors')
}
`

// A data migration too: it inserts through the sql template, inside the same transaction where DDL has one.
const createBooks = `import { sql } from '@orm/core'

export async function up(db) {
  await db.schema.createTable('cli_mig_books', (t) => {
    t.id()
    t.foreignId('authorId').constrained('cli_mig_authors').onDelete('cascade')
    t.string('title')
  })
  await db.execute(sql\`INSERT INTO cli_mig_authors (name) VALUES (\${'Ann'})\`)
}

export async function down(db) {
  await db.schema.dropTable('cli_mig_books')
}
`

const createReviews = `export async function up(db) {
  await db.schema.createTable('cli_mig_reviews', (t) => { t.id(); t.integer('stars') })
}
export async function down(db) {
  await db.schema.dropTable('cli_mig_reviews')
}
`

const broken = `import { sql } from '@orm/core'
export async function up(db) {
  await db.schema.createTable('cli_mig_broken', (t) => { t.id() })
  await db.execute(sql\`SELECT * FROM cli_mig_no_such_table\`)
}
export async function down() {}
`

/** The status table as [status, batch, name] rows, without the header and the time column. */
function statusRows(stdout: string): string[][] {
  return stdout.split('\n').slice(1).filter((l) => /^(Ran|Pending)/.test(l)).map((l) => {
    const [status, ...rest] = l.split(/\s{2,}/)
    return /^\d+$/.test(rest[0]) ? [status, rest[0], rest[1]] : [status, '', rest[0]]
  })
}

for (const target of targets) {
  describe.skipIf(!!target.skip)(`orm migrate on ${target.name}`, () => {
    const tmp = tempDir(`migrate-${target.name}`)
    const migrations = join(tmp.dir, 'db', 'migrations')
    const tables = async () => (await introspect(target.dialect(tmp.dir))).map((t) => t.name).filter((n) => n.startsWith('cli_mig')).sort()
    const drop = async () => {
      const db = createDb({ schema: defineSchema({}), dialect: target.dialect(tmp.dir) })
      for (const name of TABLES) await db.schema.dropTable(name, { ifExists: true })
      await db.close()
    }

    beforeAll(async () => {
      await drop()
      write(join(tmp.dir, 'orm.config.ts'), configFile(target, tmp.dir, `  migrations: { dir: 'db/migrations', table: 'cli_migrations' },\n`))
      write(join(migrations, '20250101000000_create_authors.ts'), createAuthors)
      write(join(migrations, '20250101000001_create_books.ts'), createBooks)
      write(join(migrations, 'README.md'), 'not a migration')
    })

    afterAll(async () => {
      await drop()
      tmp.remove()
    })

    it('migrate:status lists the files as pending', async () => {
      const result = await cli(tmp.dir, 'migrate:status')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(statusRows(result.stdout)).toEqual([
        ['Pending', '', '20250101000000_create_authors'],
        ['Pending', '', '20250101000001_create_books'],
      ])
      expect(result.stdout).toContain('2 migrations: 0 ran, 2 pending.')
    })

    it('migrate runs the pending migrations in order, as batch 1, and then has nothing to do', async () => {
      const result = await cli(tmp.dir, 'migrate')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const lines = result.stdout.trim().split('\n')
      const transactional = target.dialect(tmp.dir).capabilities.transactionalDdl
      expect(lines[0]).toBe(`Migrating ${target.dialect(tmp.dir).name} ${transactional ? '(each migration in a transaction)' : '(no transactional DDL on this database)'}`)
      expect(lines[1]).toMatch(/^ {2}Migrating 20250101000000_create_authors \.\.\. done \d+ ms$/)
      expect(lines[2]).toMatch(/^ {2}Migrating 20250101000001_create_books \.\.\. done \d+ ms$/)
      expect(lines[3]).toBe('Ran 2 migrations in batch 1.')
      expect(await tables()).toEqual(['cli_mig_authors', 'cli_mig_books', 'cli_migrations'])

      const again = await cli(tmp.dir, 'migrate')
      expect(again.stdout).toBe('Nothing to migrate. Every migration in db/migrations has run.\n')
    })

    it('records name, batch and ran_at in the migrations table', async () => {
      const db = createDb({ schema: defineSchema({}), dialect: target.dialect(tmp.dir) })
      try {
        const { sql } = await import('@orm/core')
        const rows = await db.execute<{ name: string; batch: number; ran_at: unknown }>(sql`SELECT name, batch, ran_at FROM cli_migrations ORDER BY name`)
        expect(rows.map((r) => [r.name, Number(r.batch)])).toEqual([['20250101000000_create_authors', 1], ['20250101000001_create_books', 1]])
        expect(rows[0].ran_at).toBeTruthy()
        const authors = await db.execute<{ name: string }>(sql`SELECT name FROM cli_mig_authors`)
        expect(authors.map((a) => a.name)).toEqual(['Ann'])
      } finally {
        await db.close()
      }
    })

    it('a new migration runs as batch 2; rollback undoes batch 2 only, then batch 1 newest first', async () => {
      write(join(migrations, '20250102000000_create_reviews.ts'), createReviews)
      const migrated = await cli(tmp.dir, 'migrate')
      expect(migrated.stdout).toContain('Ran 1 migration in batch 2.')
      const status = await cli(tmp.dir, 'migrate:status')
      expect(statusRows(status.stdout)).toEqual([
        ['Ran', '1', '20250101000000_create_authors'],
        ['Ran', '1', '20250101000001_create_books'],
        ['Ran', '2', '20250102000000_create_reviews'],
      ])
      expect(status.stdout).toMatch(/20250102000000_create_reviews {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/)

      const first = await cli(tmp.dir, 'migrate:rollback')
      expect(first.code).toBe(0)
      expect(first.stdout).toMatch(/^ {2}Rolling back 20250102000000_create_reviews \.\.\. done \d+ ms\nRolled back 1 migration \(batch 2\)\.\n$/)
      expect(await tables()).toEqual(['cli_mig_authors', 'cli_mig_books', 'cli_migrations'])

      const second = await cli(tmp.dir, 'migrate:rollback')
      const order = [...second.stdout.matchAll(/Rolling back (\S+)/g)].map((m) => m[1])
      expect(order).toEqual(['20250101000001_create_books', '20250101000000_create_authors'])
      expect(second.stdout).toContain('Rolled back 2 migrations (batch 1).')
      expect(await tables()).toEqual(['cli_migrations'])

      const nothing = await cli(tmp.dir, 'migrate:rollback')
      expect(nothing.stdout).toBe('Nothing to roll back.\n')
      const pending = await cli(tmp.dir, 'migrate:status')
      expect(statusRows(pending.stdout).map((r) => r[0])).toEqual(['Pending', 'Pending', 'Pending'])
    })

    it('migrate:rollback --step 1 undoes only the newest migration', async () => {
      await cli(tmp.dir, 'migrate')
      const result = await cli(tmp.dir, 'migrate:rollback', '--step', '1')
      expect([...result.stdout.matchAll(/Rolling back (\S+)/g)].map((m) => m[1])).toEqual(['20250102000000_create_reviews'])
      expect(result.stdout).toContain('Rolled back 1 migration.')
      await cli(tmp.dir, 'migrate:rollback')
    })

    it('a failing migration stops the run with one line, is not recorded, and is rolled back where DDL is transactional', async () => {
      const file = write(join(migrations, '20250103000000_broken.ts'), broken)
      try {
        const result = await cli(tmp.dir, 'migrate')
        expect(result.code).toBe(1)
        const errorLines = result.stderr.trim().split('\n')
        expect(errorLines).toHaveLength(1)
        expect(errorLines[0]).toMatch(/^error: Migration 20250103000000_broken \(up\) failed: .*cli_mig_no_such_table/)
        expect(result.stdout).toMatch(/Migrating 20250103000000_broken \.\.\. failed\n$/)

        const transactional = target.dialect(tmp.dir).capabilities.transactionalDdl
        expect(errorLines[0]).toContain(transactional ? '(it was rolled back)' : 'stay applied')
        // The three before it ran and stay; the broken one is not recorded.
        const status = await cli(tmp.dir, 'migrate:status')
        expect(statusRows(status.stdout).map((r) => r[0])).toEqual(['Ran', 'Ran', 'Ran', 'Pending'])
        expect((await tables()).includes('cli_mig_broken')).toBe(!transactional)
      } finally {
        rmSync(file)
      }
    })
  })
}
