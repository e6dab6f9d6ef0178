import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { compileOverhead, compileWithRelation } from './compile.js'
import { seed } from './dataset.js'
import { difference } from './normalize.js'
import type { RawClient } from './raw/types.js'
import { formatDialect, machine, type DialectResult, type WorkloadResult } from './report.js'
import { mysqlTarget, pgTarget, sqliteTarget, type Target } from './targets.js'
import { measure } from './timer.js'
import { INSERT_BATCH, workloads as plainWorkloads, type BenchContext, type Workload } from './workloads.js'
import { relWorkloads } from './rel-workloads.js'
import type { Peer, PeerOp } from './peers/types.js'
import { PEERS, PEER_TITLES } from './targets.js'
import type { PeerResult } from './report.js'

const allWorkloads: readonly Workload[] = [...plainWorkloads, ...relWorkloads]

const { values: args } = parseArgs({
  // `pnpm start -- --quick` passes the `--` along
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    workloads: { type: 'string' },
    peers: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})

if (args.help) {
  console.log(`pnpm bench [-- --quick] [-- --only sqlite,pg,mysql]

Times each workload on the raw driver and through the ORM, interleaved, and prints a Markdown table per database.
SQLite (in-memory) always runs; PostgreSQL and MySQL / MariaDB run when ORM_TEST_PG_URL / ORM_TEST_MYSQL_URL are set.
--quick  a short run (about a tenth of the measuring time) for checking that everything works
--only   a comma-separated subset of sqlite, pg, mysql
--workloads  a comma-separated subset of B1-B5, W1-W9
--peers  a comma-separated subset of the peers (kysely, drizzle, typeorm, sequelize), or none; all by default`)
  process.exit(0)
}

const settings = args.quick
  ? { warmupMs: 150, budgetMs: 250, minRounds: 5, maxRounds: 60, batchMs: 2, compileIterations: 2_000 }
  : { warmupMs: 300, budgetMs: 2_500, minRounds: 15, maxRounds: 1_000, batchMs: 5, compileIterations: 10_000 }
/** The relationship workloads, each measured once per implementation: a shorter budget keeps the run near 5 minutes. */
const relSettings = args.quick ? settings : { ...settings, budgetMs: 1_500, minRounds: 9 }
const settingsFor = (w: Workload) => (w.id.startsWith('W') ? relSettings : settings)
/**
 * The peers (four, each against raw on every W workload, some at hundreds of ms per operation): shorter still, and
 * at least 2 warm-up operations a side instead of 5, so the full run stays near 6 minutes.
 */
const peerSettings = args.quick ? { ...settings, warmupOps: 2 } : { ...relSettings, budgetMs: 1_000, minRounds: 5, warmupOps: 2 }

/** Runs one workload once on each side with the same input, counting statements and comparing results. */
async function verify(target: Target, raw: RawClient, ctx: BenchContext, w: Workload) {
  const before = raw.statements + ctx.sql.statements
  const rawResult = w.normalize(await w.raw(ctx, 0), 'raw')
  const rawStatements = raw.statements + ctx.sql.statements - before
  await w.between?.(ctx)
  target.counter.reset()
  const ormResult = w.normalize(await w.orm(target.counted, ctx, 0), 'orm')
  const { statements, transactionControl } = target.counter
  await w.between?.(ctx)
  const mismatch = w.check?.(rawResult, ctx, 0) ?? difference(rawResult, ormResult)
  return { rawStatements, ormStatements: statements, ormTransactionControl: transactionControl, mismatch, rawResult }
}

/** Times one peer on one workload against raw, interleaved, after checking its result against raw's. */
async function runPeer(peer: Peer, op: PeerOp, ctx: BenchContext, w: Workload, rawResult: unknown): Promise<PeerResult> {
  // the untimed reset runs on the bench's database and, for a peer with its own copy (Sequelize on SQLite), on that too
  const own = peer.sql
  await peer.refresh?.()
  const between = w.between && (async () => {
    await w.between?.(ctx)
    if (own) await w.between?.({ ...ctx, sql: own })
  })
  await between?.()
  const before = peer.statements
  const beforeTx = peer.transactionControl ?? 0
  let value: unknown
  try {
    value = await op(ctx.data, 0)
  } catch (error) {
    // a query the peer cannot run on this database (Drizzle's to-one relational queries on MariaDB): reported, not timed
    await between?.()
    const message = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message
    return { name: peer.name, us: NaN, rawUs: NaN, ratio: NaN, ratioLow: NaN, ratioHigh: NaN, statements: 0, failed: message.slice(0, 200) }
  }
  const result = w.normalize(value, peer.keys === 'prop' ? 'peer' : 'raw')
  const statements = peer.statements - before
  const transactionControl = (peer.transactionControl ?? 0) - beforeTx
  await between?.()
  const mismatch = difference(rawResult, result)
  const m = await measure({
    raw: (i) => w.raw(ctx, i),
    orm: (i) => op(ctx.data, i),
    between,
    ...peerSettings,
  })
  return { name: peer.name, us: m.ormUs, rawUs: m.rawUs, ratio: m.ratio, ratioLow: m.ratioLow, ratioHigh: m.ratioHigh, statements, transactionControl, mismatch }
}

async function runTarget(target: Target): Promise<DialectResult> {
  const server = await target.server()
  console.error(`${target.title}: ${server}; seeding...`)
  const seedStart = performance.now()
  const data = await seed(target.db)
  const seedMs = performance.now() - seedStart
  const raw = await target.makeRaw(INSERT_BATCH)
  const rawSql = target.makeSql()
  // statistics, as a database in use has them (without, SQLite plans W3's correlated count on the published index)
  await rawSql.all(target.key === 'mysql' ? 'ANALYZE TABLE bench_users, bench_posts, bench_profiles, bench_comments, bench_tags, bench_post_tags, bench_images' : 'ANALYZE')
  const ctx: BenchContext = { raw, sql: rawSql, data }
  const wanted = args.workloads?.split(',').map((s) => s.trim().toUpperCase())
  const unknown = wanted?.filter((id) => !allWorkloads.some((w) => w.id === id)) ?? []
  if (unknown.length) throw new Error(`--workloads: no workload ${unknown.join(', ')} (there are ${allWorkloads.map((w) => w.id).join(', ')})`)
  const workloads = wanted ? allWorkloads.filter((w) => wanted.includes(w.id)) : allWorkloads
  const peerNames = args.peers === undefined ? PEERS : args.peers === 'none' ? [] : args.peers.split(',').map((s) => s.trim().toLowerCase())
  const badPeer = peerNames.filter((n) => !PEERS.includes(n))
  if (badPeer.length) throw new Error(`--peers: no peer ${badPeer.join(', ')} (there are ${PEERS.join(', ')}, or none)`)
  const peers: Peer[] = []
  const unavailable: { name: string; reason: string }[] = []
  for (const name of peerNames) {
    try {
      peers.push(await target.makePeer(name))
    } catch (error) {
      // a peer whose driver does not load here (sqlite3 not built): said in the report, the run goes on
      const reason = (error as Error).message.split('\n')[0].slice(0, 200)
      console.error(`  peer ${name}: not run: ${reason}`)
      unavailable.push({ name: PEER_TITLES[name] ?? name, reason })
    }
  }
  const results: WorkloadResult[] = []
  for (const w of workloads) {
    const { rawResult, ...checked } = await verify(target, raw, ctx, w)
    const m = await measure({
      raw: (i) => w.raw(ctx, i),
      orm: (i) => w.orm(target.db, ctx, i),
      between: w.between && (() => w.between?.(ctx)),
      ...settingsFor(w),
    })
    console.error(`  ${w.id}: raw ${m.rawUs.toFixed(2)} µs, ORM ${m.ormUs.toFixed(2)} µs, ORM/raw ${m.ratio.toFixed(2)}${checked.mismatch ? `, MISMATCH ${checked.mismatch}` : ''}`)
    const peerResults: PeerResult[] = []
    for (const peer of peers) {
      const op = peer.impl[w.id]
      if (!op) continue
      const p = await runPeer(peer, op, ctx, w, rawResult)
      if (p.failed) console.error(`    ${peer.name}: FAILED ${p.failed}`)
      else console.error(`    ${peer.name}: ${p.us.toFixed(2)} µs, /raw ${p.ratio.toFixed(2)}${p.mismatch ? `, MISMATCH ${p.mismatch}` : ''}`)
      peerResults.push(p)
    }
    results.push({ id: w.id, title: w.title, ...m, ...checked, peers: peerResults })
  }
  for (const peer of peers) await peer.close()
  const compile = compileOverhead(target.db, settings.compileIterations)
  const compileWith = await compileWithRelation(target.makeDialect, settings.compileIterations)
  return { title: target.title, server, driver: raw.driver, seedMs, workloads: results, compile, compileWith, unavailable }
}

async function main(): Promise<number> {
  const only = args.only?.split(',').map((s) => s.trim())
  const unknown = only?.filter((key) => !['sqlite', 'pg', 'mysql'].includes(key)) ?? []
  if (unknown.length) throw new Error(`--only takes sqlite, pg, mysql; not ${unknown.join(', ')}`)
  const wanted = (key: string) => !only || only.includes(key)
  const targets: (() => Target)[] = []
  const skipped: string[] = []
  if (wanted('sqlite')) targets.push(sqliteTarget)
  const pgUrl = process.env.ORM_TEST_PG_URL
  const mysqlUrl = process.env.ORM_TEST_MYSQL_URL
  if (wanted('pg')) {
    if (pgUrl) targets.push(() => pgTarget(pgUrl))
    else skipped.push('PostgreSQL (ORM_TEST_PG_URL is not set)')
  }
  if (wanted('mysql')) {
    if (mysqlUrl) targets.push(() => mysqlTarget(mysqlUrl))
    else skipped.push('MySQL / MariaDB (ORM_TEST_MYSQL_URL is not set)')
  }

  const started = performance.now()
  console.log(`## ORM vs raw driver${args.quick ? ' (--quick: short run, rough numbers)' : ''}\n`)
  console.log(`Machine: ${machine()}. ${new Date().toISOString().slice(0, 10)}.\n`)
  if (skipped.length) console.log(`Skipped: ${skipped.join('; ')}.\n`)

  let failed = false
  for (const make of targets) {
    const target = make()
    try {
      const result = await runTarget(target)
      console.log(formatDialect(result))
      const bad = result.workloads.filter((w) => w.mismatch)
      const badPeers = result.workloads.flatMap((w) => (w.peers ?? []).filter((p) => p.mismatch).map((p) => ({ w, p })))
      if (bad.length || badPeers.length) {
        failed = true
        for (const w of bad) console.error(`MISMATCH ${target.title} ${w.id}: ${w.mismatch}`)
        for (const { w, p } of badPeers) console.error(`MISMATCH ${target.title} ${w.id} ${p.name}: ${p.mismatch}`)
      }
    } catch (error) {
      failed = true
      console.error(`${target.title} failed:`, error)
      console.log(`### ${target.title}\n\nFAILED: ${(error as Error).message}\n`)
    } finally {
      await target.close().catch((error: unknown) => console.error(`closing ${target.title}:`, error))
    }
  }
  console.log(`Total run time: ${((performance.now() - started) / 1000).toFixed(0)} s.`)
  if (failed) console.error('bench: some results differ between raw and the ORM or a peer, or a database failed (see above).')
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
