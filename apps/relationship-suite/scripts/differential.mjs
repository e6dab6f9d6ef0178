#!/usr/bin/env node
/**
 * The long differential run: test/differential.test.ts (every available dialect against the oracle and each
 * other) with many more cases than `pnpm test` runs, and a fresh seed each time unless one is given.
 *
 *   pnpm --filter @orm/relationship-suite differential -- --cases 5000 [--seed 123] [--query 7]
 *
 * Databases come from ORM_TEST_PG_URL / ORM_TEST_MYSQL_URL / ORM_TEST_MARIADB_URL (or containers), as for the
 * suite; ORM_TEST_DATABASES=pg limits them. The packages run as built: `pnpm -s turbo run build` first.
 */
import { spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2).filter((a) => a !== '--')
const options = { cases: '5000', seed: String(randomInt(2 ** 31)), query: undefined }
for (let i = 0; i < args.length; i++) {
  const name = args[i].replace(/^--/, '')
  if (!(name in options) || args[i + 1] === undefined) {
    console.error(`usage: differential [--cases N] [--seed N] [--query N]  (got "${args[i]}")`)
    process.exit(2)
  }
  options[name] = args[++i]
}
for (const [name, value] of Object.entries(options)) {
  if (value !== undefined && !/^\d+$/.test(value)) {
    console.error(`--${name} takes a non-negative integer, got "${value}"`)
    process.exit(2)
  }
}

const env = { ...process.env, ORM_DIFFERENTIAL_CASES: options.cases, ORM_DIFFERENTIAL_SEED: options.seed }
if (options.query !== undefined) env.ORM_DIFFERENTIAL_QUERY = options.query
console.log(`differential: ${options.cases} queries, seed ${options.seed} (rerun: --cases ${options.cases} --seed ${options.seed})`)

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')
const started = Date.now()
const run = spawnSync(process.execPath, [vitest, 'run', 'test/differential.test.ts', '--reporter', 'dot'], { cwd: root, env, stdio: 'inherit' })
console.log(`differential: ${options.cases} queries, seed ${options.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s, ${run.status === 0 ? 'passed' : 'FAILED'}`)
process.exit(run.status ?? 1)
