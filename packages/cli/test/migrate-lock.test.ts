import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createDb, defineSchema, sql } from '@orm/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { announceSkips, configFile, packageDir, targets, tempDir, write } from './helpers.js'

announceSkips('migrate-lock.test.ts')

const TABLES = ['cli_lock_log', 'cli_lock_migrations']

/** The orm binary from source (as `node dist/bin.js` runs the build), in its own process. */
function orm(cwd: string, ...argv: string[]) {
  const jiti = createRequire(import.meta.url).resolve('jiti/package.json').replace(/package\.json$/, 'lib/jiti-cli.mjs')
  const child = spawn(process.execPath, [jiti, join(packageDir, 'src', 'bin.ts'), ...argv], { cwd, env: { ...process.env, NO_COLOR: '1' } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return { done, stdout: () => stdout }
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

for (const target of targets) {
  describe.skipIf(!!target.skip)(`orm migrate twice at the same time on ${target.name}`, () => {
    const tmp = tempDir(`lock-${target.name}`)
    const started = join(tmp.dir, 'started')
    const release = join(tmp.dir, 'release')
    const drop = async () => {
      const db = createDb({ schema: defineSchema({}), dialect: target.dialect(tmp.dir) })
      for (const name of TABLES) await db.schema.dropTableIfExists(name)
      await db.close()
    }

    beforeAll(async () => {
      await drop()
      write(join(tmp.dir, 'orm.config.ts'), configFile(target, tmp.dir, `  migrations: { table: 'cli_lock_migrations' },\n`))
      // The first migration holds the run (and so the lock) until the test writes the release file.
      write(join(tmp.dir, 'migrations', '20250101000000_create_log.ts'), `import { existsSync, writeFileSync } from 'node:fs'
import { sql } from '@orm/core'

export async function up(db) {
  await db.schema.createTable('cli_lock_log', (t) => { t.id(); t.string('migration') })
  await db.execute(sql\`INSERT INTO cli_lock_log (migration) VALUES (\${'create_log'})\`)
  writeFileSync(${JSON.stringify(started)}, 'x')
  const deadline = Date.now() + 60_000
  while (!existsSync(${JSON.stringify(release)}) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
}
export async function down(db) {
  await db.schema.dropTable('cli_lock_log')
}
`)
      write(join(tmp.dir, 'migrations', '20250101000001_add_column.ts'), `import { sql } from '@orm/core'

export async function up(db) {
  await db.schema.alterTable('cli_lock_log', (t) => { t.integer('step').default(2) })
  await db.execute(sql\`INSERT INTO cli_lock_log (migration) VALUES (\${'add_column'})\`)
}
export async function down(db) {
  await db.schema.alterTable('cli_lock_log', (t) => { t.dropColumn('step') })
}
`)
    })

    afterAll(async () => {
      await drop()
      tmp.remove()
    })

    it('the second run waits for the lock of the first, then has nothing to migrate; a short --lock-timeout gives up', async () => {
      const first = orm(tmp.dir, 'migrate')
      await until('the first run to start its migration', () => existsSync(started))

      const impatient = await orm(tmp.dir, 'migrate', '--lock-timeout', '1').done
      expect(impatient.code).toBe(1)
      expect(impatient.stderr).toBe(
        'error: Another orm migrate or migrate:rollback is running on this database: waited 1 s for its lock. ' +
          'Run again when it has finished (or wait longer with --lock-timeout <seconds>).\n',
      )

      const second = orm(tmp.dir, 'migrate')
      // It has read the migrations as pending and asks for the lock: now let the first run finish.
      await until('the second run to start', () => second.stdout().startsWith('Migrating'))
      await new Promise((resolve) => setTimeout(resolve, 1000))
      writeFileSync(release, 'x')

      const [a, b] = await Promise.all([first.done, second.done])
      expect(a.stderr).toBe('')
      expect(a.stdout).toContain('Ran 2 migrations in batch 1.')
      expect(b.stderr).toBe('')
      expect(b.code).toBe(0)
      expect(b.stdout.trim().split('\n').at(-1)).toBe('Nothing to migrate. Another run applied them while this one waited for its lock.')

      const db = createDb({ schema: defineSchema({}), dialect: target.dialect(tmp.dir) })
      try {
        const log = await db.execute<{ migration: string }>(sql`SELECT migration FROM cli_lock_log ORDER BY id`)
        expect(log.map((r) => r.migration)).toEqual(['create_log', 'add_column'])
        const ran = await db.execute<{ name: string; batch: unknown }>(sql`SELECT name, batch FROM cli_lock_migrations ORDER BY name`)
        expect(ran.map((r) => [r.name, Number(r.batch)])).toEqual([['20250101000000_create_log', 1], ['20250101000001_add_column', 1]])
      } finally {
        await db.close()
      }
    }, 120_000)
  })
}
