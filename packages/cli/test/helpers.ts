import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Dialect } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'
import { sqlite } from '@orm/sqlite'
import { run, type Io } from '../src/index.js'

export const packageDir = fileURLToPath(new URL('..', import.meta.url))

/** A folder under test/.tmp (inside the package, so that a config there resolves @orm/* like an app would). */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const root = join(packageDir, 'test', '.tmp')
  mkdirSync(root, { recursive: true })
  const dir = mkdtempSync(join(root, `${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
  return path
}

/** Runs the CLI in-process and returns its exit code and what it printed (no colors). */
export async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: Io = { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false }
  const code = await run(argv, io)
  return { code, stdout, stderr }
}

/** A database the tests run on: SQLite always, PostgreSQL and MySQL/MariaDB when their URL is set. */
export interface Target {
  readonly name: 'sqlite' | 'pg' | 'mysql'
  readonly url?: string
  /** The skip reason when the database is not available. */
  readonly skip?: string
  /** A dialect for the test's own checks. */
  dialect(dir: string): Dialect
  /** The `dialect:` expression of an orm.config.ts, with its import. */
  configSource(dir: string): { imports: string; dialect: string }
}

const required = new Set((process.env.ORM_TEST_REQUIRE ?? '').split(',').map((s) => s.trim()).filter(Boolean))

function server(name: 'pg' | 'mysql', env: string, make: (url: string) => Dialect, imports: string, expr: (url: string) => string): Target {
  const url = process.env[env]
  const skip = url ? undefined : `${env} is not set: skipping the ${name === 'pg' ? 'PostgreSQL' : 'MySQL/MariaDB'} CLI tests`
  if (skip && required.has(name)) throw new Error(`${skip} (required by ORM_TEST_REQUIRE)`)
  return {
    name,
    url,
    skip,
    dialect: () => make(url!),
    configSource: () => ({ imports, dialect: expr(JSON.stringify(url)) }),
  }
}

export const targets: readonly Target[] = [
  {
    name: 'sqlite',
    dialect: (dir) => sqlite({ filename: join(dir, 'test.db') }),
    configSource: (dir) => ({ imports: `import { sqlite } from '@orm/sqlite'`, dialect: `sqlite({ filename: ${JSON.stringify(join(dir, 'test.db'))} })` }),
  },
  server('pg', 'ORM_TEST_PG_URL', (url) => pg({ connectionString: url, max: 2 }), `import { pg } from '@orm/pg'`,
    (url) => `pg({ connectionString: ${url}, max: 2 })`),
  server('mysql', 'ORM_TEST_MYSQL_URL', (url) => mysql({ uri: url }), `import { mysql } from '@orm/mysql'`, (url) => `mysql({ uri: ${url} })`),
]

/** Prints why a target's tests are skipped (once per file). */
export function announceSkips(file: string): void {
  for (const t of targets) if (t.skip) console.log(`[${file}] ${t.skip}.`)
}

/** An orm.config.ts for the target; `extra` is more properties of the config object. */
export function configFile(target: Target, dir: string, extra = ''): string {
  const { imports, dialect } = target.configSource(dir)
  return `${imports}\n\nexport default {\n  dialect: ${dialect},\n${extra}}\n`
}
