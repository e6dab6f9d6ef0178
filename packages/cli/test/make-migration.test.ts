import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeMigration, migrationSlug, migrationSource } from '../src/index.js'
import { cli, configFile, targets, tempDir, write } from './helpers.js'
import { typecheck } from './typecheck.js'

describe('orm make:migration', () => {
  const tmp = tempDir('make')
  const sqliteTarget = targets.find((t) => t.name === 'sqlite')!
  write(join(tmp.dir, 'orm.config.ts'), configFile(sqliteTarget, tmp.dir))
  const dir = join(tmp.dir, 'migrations')
  afterAll(() => tmp.remove())

  it('migrate with no migration files says how to make one', async () => {
    const result = await cli(tmp.dir, 'migrate')
    expect(result).toEqual({ code: 0, stderr: '', stdout: 'No migrations in migrations. Make one: orm make:migration create_users_table\n' })
  })

  it('writes <timestamp>_<name>.ts with createTable/dropTable for create_<table>_table, which type-checks and runs', async () => {
    const result = await cli(tmp.dir, 'make:migration', 'create_flights_table')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const [file] = readdirSync(dir)
    expect(file).toMatch(/^\d{14}_create_flights_table\.ts$/)
    expect(result.stdout).toBe(`Created migrations/${file}\n`)
    const text = readFileSync(join(dir, file), 'utf8')
    expect(text).toBe(`import type { MigrationDb } from '@orm/cli'

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.createTable('flights', (t) => {
    t.id()
    t.timestamps()
  })
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('flights')
}
`)
    expect(typecheck(join(dir, file))).toEqual([])
    const migrated = await cli(tmp.dir, 'migrate')
    expect(migrated.stdout).toContain('Ran 1 migration in batch 1.')
    const rolledBack = await cli(tmp.dir, 'migrate:rollback')
    expect(rolledBack.stdout).toContain('Rolled back 1 migration (batch 1).')
  })

  it('any other name gets an empty up/down; --create names the table; names are slugged', async () => {
    const plain = await cli(tmp.dir, 'make:migration', 'AddSlugToPosts')
    expect(plain.stdout).toMatch(/^Created migrations\/\d{14}_add_slug_to_posts\.ts\n$/)
    const file = readdirSync(dir).find((f) => f.endsWith('_add_slug_to_posts.ts'))!
    const text = readFileSync(join(dir, file), 'utf8')
    expect(text).toContain('export async function up(db: MigrationDb): Promise<void> {\n  // await db.schema.createTable')
    expect(typecheck(join(dir, file))).toEqual([])

    const created = await cli(tmp.dir, 'make:migration', 'audit log', '--create', 'audit_entries')
    expect(created.stdout).toMatch(/_audit_log\.ts\n$/)
    const audit = readdirSync(dir).find((f) => f.endsWith('_audit_log.ts'))!
    expect(readFileSync(join(dir, audit), 'utf8')).toContain(`createTable('audit_entries'`)

    // Made within the same second, the files still sort in the order they were made.
    const names = readdirSync(dir).sort()
    expect(names.map((n) => n.replace(/^\d+_/, ''))).toEqual(['create_flights_table.ts', 'add_slug_to_posts.ts', 'audit_log.ts'])
  })

  it('refuses a name that is taken or empty, in one line', async () => {
    const taken = await cli(tmp.dir, 'make:migration', 'create_flights_table')
    expect(taken.code).toBe(1)
    expect(taken.stderr).toMatch(/^error: A migration named create_flights_table already exists: \d{14}_create_flights_table\.ts\. Choose another name\.\n$/)
    const empty = await cli(tmp.dir, 'make:migration', '!!!')
    expect(empty.stderr).toBe('error: "!!!" is not a migration name: use letters, digits and underscores, e.g. create_users_table.\n')
  })

  it('slugs and templates', () => {
    expect(migrationSlug('Create users table')).toBe('create_users_table')
    expect(migrationSlug('addEmailToUsers')).toBe('add_email_to_users')
    expect(migrationSource('create_users')).toContain(`createTable('users'`)
    const other = tempDir('make-fn')
    try {
      const path = makeMigration(other.dir, 'x', { now: new Date(Date.UTC(2025, 0, 15, 9, 30, 5)) })
      expect(path).toBe(join(other.dir, '20250115093005_x.ts'))
    } finally {
      other.remove()
    }
  })
})
