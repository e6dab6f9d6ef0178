import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, packageDir, tempDir, write } from './helpers.js'
import { typecheck } from './typecheck.js'

/**
 * Runs docs/migrations.md: each block after a `<!-- test: ... -->` marker is a file to write, a command whose
 * output must match, a file the commands must have written, or code to type-check. Times, durations and
 * migration timestamps vary, so they are compared as placeholders.
 */
const doc = readFileSync(fileURLToPath(new URL('../../../docs/migrations.md', import.meta.url)), 'utf8')
const cliSource = join(packageDir, 'src', 'index.ts')

interface Step {
  readonly action: 'write' | 'run' | 'expect' | 'typecheck'
  readonly arg: string
  readonly body: string
  readonly line: number
}

function steps(): Step[] {
  const result: Step[] = []
  const marker = /<!-- test: (write|run|expect|typecheck) ?(.*?) -->\n```\w*\n([\s\S]*?)```/g
  for (const m of doc.matchAll(marker)) {
    result.push({ action: m[1] as Step['action'], arg: m[2], body: m[3], line: doc.slice(0, m.index).split('\n').length })
  }
  return result
}

const normalize = (text: string) => text
  .replace(/\b\d{14}_/g, 'YYYYMMDDHHMMSS_')
  .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, 'YYYY-MM-DD HH:MM:SS')
  .replace(/done \d+ ms/g, 'done N ms')

/** `migrations/*_create_users_table.ts` -> the one file it matches (the timestamp is the time it was made). */
function resolvePath(dir: string, pattern: string): string {
  if (!pattern.includes('*')) return join(dir, pattern)
  const folder = join(dir, dirname(pattern))
  const re = new RegExp('^' + basename(pattern).split('*').map((p) => p.replace(/[.]/g, '\\.')).join('.*') + '$')
  const matches = existsSync(folder) ? readdirSync(folder).filter((f) => re.test(f)) : []
  if (matches.length !== 1) throw new Error(`${pattern} matches ${matches.length} files: ${matches.join(', ')}`)
  return join(folder, matches[0])
}

/** Examples import '@orm/cli' as an app would; here that is the sources (the package may not be built). */
const fromSources = (code: string) => code.replace(/from '@orm\/cli'/g, `from ${JSON.stringify(cliSource)}`)

describe('docs/migrations.md', () => {
  const tmp = tempDir('docs')
  const cwd = process.cwd()
  afterAll(() => {
    process.chdir(cwd)
    tmp.remove()
  })

  it('has examples to run', () => {
    const all = steps()
    expect(all.filter((s) => s.action === 'run').length).toBeGreaterThanOrEqual(8)
    expect(all.filter((s) => s.action === 'typecheck').length).toBe(3)
  })

  it('every marked example runs as written, on SQLite', async () => {
    // sqlite({ filename: 'app.db' }) is relative to the process's folder, as when a user runs `orm` in the app.
    process.chdir(tmp.dir)
    let n = 0
    for (const step of steps()) {
      const where = `docs/migrations.md line ${step.line}: ${step.action} ${step.arg}`
      if (step.action === 'write') {
        write(resolvePath(tmp.dir, step.arg), step.arg === 'orm.config.ts' ? fromSources(step.body) : step.body)
      } else if (step.action === 'run') {
        const argv = step.arg.replace(/^orm /, '').split(' ')
        const result = await cli(tmp.dir, ...argv)
        expect({ where, stderr: result.stderr, code: result.code }).toEqual({ where, stderr: '', code: 0 })
        expect({ where, out: normalize(result.stdout) }).toEqual({ where, out: normalize(step.body) })
      } else if (step.action === 'expect') {
        const path = resolvePath(tmp.dir, step.arg)
        expect({ where, text: readFileSync(path, 'utf8') }).toEqual({ where, text: step.body })
        expect({ where, errors: typecheck(path) }).toEqual({ where, errors: [] })
      } else {
        const path = write(join(tmp.dir, 'typecheck', `example-${++n}.ts`), step.body)
        expect({ where, errors: typecheck(path) }).toEqual({ where, errors: [] })
      }
    }
  })
})
