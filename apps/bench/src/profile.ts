import { performance } from 'node:perf_hooks'
import { seed } from './dataset.js'
import { mysqlTarget, pgTarget, sqliteTarget, type Target } from './targets.js'
import { INSERT_BATCH, workloads, type BenchContext } from './workloads.js'
import { relWorkloads } from './rel-workloads.js'

/**
 * Runs one side of one workload in a loop, for a CPU profile (no timing is reported, nothing is compared):
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx src/profile.ts sqlite B1 orm 5
 *
 * Arguments: sqlite | pg | mysql, a workload id (B1..B5), orm | raw, seconds (default 5).
 */
const [dialect = 'sqlite', id = 'B1', side = 'orm', seconds = '5'] = process.argv.slice(2).filter((a) => a !== '--')

function target(): Target {
  if (dialect === 'sqlite') return sqliteTarget()
  const url = dialect === 'pg' ? process.env.ORM_TEST_PG_URL : process.env.ORM_TEST_MYSQL_URL
  if (!url) throw new Error(`set ${dialect === 'pg' ? 'ORM_TEST_PG_URL' : 'ORM_TEST_MYSQL_URL'} to profile ${dialect}`)
  return dialect === 'pg' ? pgTarget(url) : mysqlTarget(url)
}

const workload = [...workloads, ...relWorkloads].find((w) => w.id === id)
if (!workload) throw new Error(`no workload ${id}`)
const t = target()
try {
  const data = await seed(t.db)
  const ctx: BenchContext = { raw: await t.makeRaw(INSERT_BATCH), sql: t.makeSql(), data }
  const end = performance.now() + Number(seconds) * 1000
  let op = 0
  while (performance.now() < end) {
    for (let j = 0; j < 20; j++, op++) await (side === 'raw' ? workload.raw(ctx, op) : workload.orm(t.db, ctx, op))
    await workload.between?.(ctx)
  }
  console.log(`${dialect} ${id} ${side}: ${op} operations`)
} finally {
  await t.close()
}
