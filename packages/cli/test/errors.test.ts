import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, packageDir, tempDir, write } from './helpers.js'

/** Nothing listens on port 1 of the loopback address: connecting is refused at once. */
const badConfigs = {
  pg: `import { pg } from '@orm/pg'\nexport default { dialect: pg({ connectionString: 'postgres://app:s3cret@127.0.0.1:1/app' }) }\n`,
  mysql: `import { mysql } from '@orm/mysql'\nexport default { dialect: mysql({ uri: 'mysql://app:s3cret@127.0.0.1:1/app' }) }\n`,
  sqlite: `import { sqlite } from '@orm/sqlite'\nexport default { dialect: sqlite({ filename: '/no/such/folder/app.db' }) }\n`,
}

const expected = {
  pg: 'error: PostgreSQL connection at 127.0.0.1:1 failed: connect ECONNREFUSED 127.0.0.1:1\n',
  mysql: 'error: MySQL connection to 127.0.0.1:1 failed: connect ECONNREFUSED 127.0.0.1:1\n',
  sqlite: 'error: Cannot open the SQLite database "/no/such/folder/app.db": Cannot open database because the directory does not exist\n',
}

describe('errors are one readable line with exit code 1', () => {
  const tmp = tempDir('errors')
  afterAll(() => tmp.remove())

  for (const [name, config] of Object.entries(badConfigs) as [keyof typeof badConfigs, string][]) {
    it(`an unreachable ${name} database: the ConnectionError's message, no stack, no password`, async () => {
      const dir = join(tmp.dir, name)
      write(join(dir, 'orm.config.ts'), config)
      for (const command of [['migrate'], ['migrate:status'], ['migrate:rollback'], ['pull', '--out', '-']]) {
        const result = await cli(dir, ...command)
        expect({ command, code: result.code, stderr: result.stderr, stdout: result.stdout }).toEqual({ command, code: 1, stderr: expected[name], stdout: '' })
        expect(result.stderr).not.toContain('s3cret')
      }
    })
  }

  it('a missing config', async () => {
    const dir = join(tmp.dir, 'none')
    write(join(dir, '.keep'), '')
    const result = await cli(dir, 'migrate')
    expect(result).toEqual({ code: 1, stdout: '', stderr: `error: No orm.config.ts in ${dir}. Create one (see docs/migrations.md), or pass --config <file>.\n` })
  })

  it('--debug adds the stack trace', async () => {
    const dir = join(tmp.dir, 'pg')
    const result = await cli(dir, 'migrate', '--debug')
    expect(result.code).toBe(1)
    expect(result.stderr.split('\n')[0]).toBe(expected.pg.trim())
    expect(result.stderr).toMatch(/\n\s+at /)
  })

  it('the orm binary prints the same line on stderr and exits with 1', () => {
    // The bin entry run from source (jiti), as `node dist/bin.js` runs the build.
    const jiti = createRequire(import.meta.url).resolve('jiti/package.json').replace(/package\.json$/, 'lib/jiti-cli.mjs')
    const bin = join(packageDir, 'src', 'bin.ts')
    const missing = spawnSync(process.execPath, [jiti, bin, 'migrate:status'], { cwd: join(tmp.dir, 'none'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect({ status: missing.status, stderr: missing.stderr, stdout: missing.stdout }).toEqual({
      status: 1, stdout: '', stderr: `error: No orm.config.ts in ${join(tmp.dir, 'none')}. Create one (see docs/migrations.md), or pass --config <file>.\n`,
    })
    const refused = spawnSync(process.execPath, [jiti, bin, 'migrate'], { cwd: join(tmp.dir, 'pg'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect({ status: refused.status, stderr: refused.stderr, stdout: refused.stdout }).toEqual({ status: 1, stdout: '', stderr: expected.pg })
  })

  it('an unknown command or a missing argument is commander\'s one line and a hint', async () => {
    const dir = join(tmp.dir, 'none')
    const unknown = await cli(dir, 'migrat')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^error: unknown command 'migrat'\n(\(Did you mean migrate\?\)\n)?\(run orm --help for the commands\)\n$/)
  })
})
