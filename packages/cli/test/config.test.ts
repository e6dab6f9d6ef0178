import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { CliError, loadConfig } from '../src/index.js'
import { tempDir, write } from './helpers.js'

const source = fileURLToPath(new URL('../src/index.ts', import.meta.url))

describe('loadConfig', () => {
  const tmp = tempDir('config')
  afterAll(() => tmp.remove())

  it('loads orm.config.ts (TypeScript, defineConfig) and resolves paths from the config file', async () => {
    const dir = join(tmp.dir, 'app')
    write(join(dir, 'orm.config.ts'), `import { defineConfig, type OrmConfig } from ${JSON.stringify(source)}
import { sqlite } from '@orm/sqlite'

const file: string = 'app.db'
export default defineConfig({
  dialect: sqlite({ filename: file }),
  migrations: { dir: 'db/migrations', table: 'schema_migrations' },
  pull: { out: 'src/schema.ts' },
} satisfies OrmConfig)
`)
    const loaded = await loadConfig({ cwd: dir })
    expect(loaded.file).toBe(join(dir, 'orm.config.ts'))
    expect(loaded.config.dialect.name).toBe('sqlite')
    expect(loaded.migrationsDir).toBe(join(dir, 'db', 'migrations'))
    expect(loaded.migrationsTable).toBe('schema_migrations')
    expect(loaded.pullOut).toBe(join(dir, 'src', 'schema.ts'))

    // From another folder with --config: paths still start at the config file.
    const elsewhere = await loadConfig({ cwd: tmp.dir, file: 'app/orm.config.ts' })
    expect(elsewhere.migrationsDir).toBe(join(dir, 'db', 'migrations'))
  })

  it('has defaults, finds orm.config.mjs, and accepts a function', async () => {
    const dir = join(tmp.dir, 'mjs')
    write(join(dir, 'orm.config.mjs'), `import { sqlite } from '@orm/sqlite'\nexport default async () => ({ dialect: sqlite() })\n`)
    const loaded = await loadConfig({ cwd: dir })
    expect(loaded.file).toBe(join(dir, 'orm.config.mjs'))
    expect(loaded.migrationsDir).toBe(join(dir, 'migrations'))
    expect(loaded.migrationsTable).toBe('orm_migrations')
    expect(loaded.pullOut).toBe(join(dir, 'schema.ts'))
  })

  it('a missing config says where it looked', async () => {
    const dir = join(tmp.dir, 'empty')
    write(join(dir, 'README.md'), '')
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(`No orm.config.ts in ${dir}. Create one (see docs/migrations.md), or pass --config <file>.`)
    await expect(loadConfig({ cwd: dir, file: 'nope.ts' })).rejects.toThrow(`Config file not found: ${join(dir, 'nope.ts')}`)
  })

  it('a config that does not load, or is not a config, is one line naming the problem', async () => {
    const bad = async (name: string, text: string) => {
      const dir = join(tmp.dir, name)
      write(join(dir, 'orm.config.ts'), text)
      const error = await loadConfig({ cwd: dir }).then(() => undefined, (e: Error) => e)
      expect(error).toBeInstanceOf(CliError)
      expect(error!.message).not.toContain('\n')
      return error!.message
    }
    expect(await bad('syntax', 'export default {')).toMatch(/^Could not load orm\.config\.ts: /)
    expect(await bad('throws', `throw new Error('no DATABASE_URL')\n`)).toBe('Could not load orm.config.ts: no DATABASE_URL')
    expect(await bad('no-dialect', 'export default { migrations: { dir: "m" } }')).toMatch(/^orm\.config\.ts: "dialect" must be a dialect instance/)
    expect(await bad('not-object', 'export default 42')).toMatch(/^orm\.config\.ts: the default export must be the config object/)
    expect(await bad('table', `import { sqlite } from '@orm/sqlite'\nexport default { dialect: sqlite(), migrations: { table: 'drop table x' } }`))
      .toBe('orm.config.ts: "migrations.table" must be a table name (letters, digits, _).')
  })
})
