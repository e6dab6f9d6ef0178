import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { GCProfiler } from 'node:v8'
import { createDb, sql, type Dialect } from '@orm/core'
import { mysql } from '@orm/mysql'
import { pg } from '@orm/pg'
import { sqlite } from '@orm/sqlite'
import Database from 'better-sqlite3'
import { seed, type Dataset } from './dataset.js'
import { marks, mysqlSql, pgSql, sqliteSql, type RawSql, type Row } from './raw/sql.js'
import { machine } from './report.js'
import { relWorkloads } from './rel-workloads.js'
import { schema } from './schema.js'
import { makePeer, PEER_TITLES, PEERS } from './targets.js'
import type { PeerConnection } from './peers/types.js'
import type { BenchContext } from './workloads.js'

/**
 * Memory of one big eager load: every user (2,000) with their posts (20,000) and the posts' comments (100,000),
 * 122,000 rows, `users.with('posts.comments')` and its equivalent in the raw driver and each peer (their W1 code
 * without the page). Each side runs in its own child process (`node --expose-gc`), so one side's garbage, caches
 * and JIT state never count for another:
 *
 *   1. connect and run W1 once (100 users with posts and comments: the same code on a page), so modules, pools,
 *      statement caches and the JIT are warm;
 *   2. gc() twice, then the baseline: heap used and RSS;
 *   3. the load, timed, with V8's GC profiler recording the heap before every collection;
 *   4. peak heap = the highest heap-used seen (before any collection during the load, or at its end) − baseline;
 *      retained heap = heap used after gc() while the result is still held − baseline;
 *      peak RSS = the process's maximum resident set size (getrusage) − baseline RSS.
 *
 * The parent seeds each database (SQLite: a temporary file, so every child opens the same data), runs the children
 * one after the other, checks each side's row counts, and prints a table per database.
 *
 *   pnpm --filter @orm/bench memory [-- --only sqlite,pg,mysql] [-- --sides raw,orm,kysely,drizzle,typeorm,sequelize]
 */

type DialectKey = 'sqlite' | 'pg' | 'mysql'
const SIDES = ['raw', 'orm', ...PEERS]
const TITLES: Record<string, string> = { raw: 'raw driver', orm: 'this ORM', ...PEER_TITLES }

interface Sample {
  side: string
  ms: number
  peakHeapMb: number
  retainedHeapMb: number
  peakRssMb: number
  gcs: number
  counts: { users: number; posts: number; comments: number }
  error?: string
}

const mb = (bytes: number) => bytes / 2 ** 20

/** The raw side: three statements (users; posts `IN` the users; comments `IN` the posts), grouped in JS. */
async function rawLoad(q: RawSql): Promise<Row[]> {
  const users = await q.all('SELECT id, name, email, active, score, created_at FROM bench_users ORDER BY id')
  const posts = await q.all(`SELECT id, user_id, title, body, published, views, created_at FROM bench_posts WHERE user_id IN (${marks(users.length)})`, users.map((u) => u.id))
  const comments = await q.all(`SELECT id, post_id, body FROM bench_comments WHERE post_id IN (${marks(posts.length)})`, posts.map((p) => p.id))
  const group = (parents: Row[], children: Row[], fk: string, as: string) => {
    const byKey = new Map<string, Row[]>()
    for (const p of parents) byKey.set(String(p.id), (p[as] = []) as Row[])
    for (const c of children) byKey.get(String(c[fk]))?.push(c)
  }
  group(posts, comments, 'post_id', 'comments')
  group(users, posts, 'user_id', 'posts')
  return users
}

function ormDialect(dialect: DialectKey, conn: PeerConnection): Dialect {
  if (dialect === 'sqlite') return sqlite({ database: conn.database })
  if (dialect === 'pg') return pg({ connectionString: conn.url! })
  return mysql({ uri: conn.url! })
}

function countRows(users: unknown): Sample['counts'] {
  const list = users as { posts?: { comments?: unknown[] }[] }[]
  let posts = 0
  let comments = 0
  for (const u of list) {
    posts += u.posts?.length ?? 0
    for (const p of u.posts ?? []) comments += p.comments?.length ?? 0
  }
  return { users: list.length, posts, comments }
}

/** One side in this (child) process; prints its Sample as JSON. */
async function child(dialect: DialectKey, side: string, target: string): Promise<void> {
  // W1 (the warm-up) reads only the number of users, for its page offset: 0 for operation 0
  const data = { userIds: new Array<number>(2_000) } as unknown as Dataset
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run the child with node --expose-gc')
  const handle = dialect === 'sqlite' ? new Database(target) : undefined
  const conn: PeerConnection = dialect === 'sqlite' ? { database: handle } : { url: target }
  const w1 = relWorkloads.find((w) => w.id === 'W1')!
  let load: () => Promise<unknown>
  let warm: () => Promise<unknown>
  let close: () => Promise<void>
  if (side === 'raw') {
    const q = dialect === 'sqlite' ? sqliteSql(handle!) : dialect === 'pg' ? pgSql(target) : mysqlSql(target)
    const ctx = { sql: q, data } as unknown as BenchContext
    load = () => rawLoad(q)
    warm = async () => w1.raw(ctx, 0)
    close = () => q.close()
  } else if (side === 'orm') {
    const db = createDb({ schema, dialect: ormDialect(dialect, conn) })
    const ctx = { data } as unknown as BenchContext
    load = () => db.users.query().orderBy('id').with('posts.comments').get()
    warm = () => w1.orm(db, ctx, 0)
    close = () => db.close()
  } else {
    const peer = await makePeer(side, dialect, conn)
    load = () => peer.impl.M1!(data, 0)
    warm = () => peer.impl.W1!(data, 0)
    close = () => peer.close()
  }
  await warm()
  gc()
  gc()
  const base = process.memoryUsage()
  const profiler = new GCProfiler()
  profiler.start()
  const started = performance.now()
  let result: unknown = await load()
  const ms = performance.now() - started
  const atEnd = process.memoryUsage().heapUsed
  const profile = profiler.stop()
  const peakHeap = Math.max(atEnd, ...(profile?.statistics ?? []).map((s) => s.beforeGC.heapStatistics.usedHeapSize))
  gc()
  gc()
  const retained = process.memoryUsage().heapUsed
  const maxRss = process.resourceUsage().maxRSS * 1024
  const counts = countRows(result)
  result = undefined
  await close()
  handle?.close()
  const sample: Sample = {
    side,
    ms,
    peakHeapMb: mb(peakHeap - base.heapUsed),
    retainedHeapMb: mb(retained - base.heapUsed),
    peakRssMb: mb(maxRss - base.rss),
    gcs: profile?.statistics.length ?? 0,
    counts,
  }
  process.stdout.write(`${JSON.stringify(sample)}\n`)
}

async function runChild(dialect: DialectKey, side: string, target: string): Promise<Sample> {
  const script = new URL(import.meta.url).pathname
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script, '--child', dialect, side, target],
      { maxBuffer: 1 << 20, timeout: 300_000 },
    )
    return JSON.parse(stdout.trim().split('\n').pop()!) as Sample
  } catch (error) {
    const e = error as Error & { stderr?: string }
    const lines = (e.stderr ?? e.message).split('\n').filter((l) => /Error|error:/.test(l))
    return { side, ms: NaN, peakHeapMb: NaN, retainedHeapMb: NaN, peakRssMb: NaN, gcs: 0, counts: { users: 0, posts: 0, comments: 0 }, error: (lines[0] ?? e.message).trim().slice(0, 200) }
  }
}

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–')

async function parent(): Promise<number> {
  const { values: args } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { only: { type: 'string' }, sides: { type: 'string' } },
  })
  const only = args.only?.split(',').map((s) => s.trim()) ?? ['sqlite', 'pg', 'mysql']
  const sides = args.sides?.split(',').map((s) => s.trim().toLowerCase()) ?? SIDES
  const bad = sides.filter((s) => !SIDES.includes(s))
  if (bad.length) throw new Error(`--sides: no side ${bad.join(', ')} (there are ${SIDES.join(', ')})`)
  const started = performance.now()
  console.log('## Memory: loading 122,000 rows with relations (2,000 users, their 20,000 posts and 100,000 comments)\n')
  console.log(`Machine: ${machine()}. ${new Date().toISOString().slice(0, 10)}.\n`)
  const skipped: string[] = []
  let failed = false
  for (const dialect of ['sqlite', 'pg', 'mysql'] as const) {
    if (!only.includes(dialect)) continue
    const url = dialect === 'pg' ? process.env.ORM_TEST_PG_URL : dialect === 'mysql' ? process.env.ORM_TEST_MYSQL_URL : undefined
    if (dialect !== 'sqlite' && !url) {
      skipped.push(`${dialect} (${dialect === 'pg' ? 'ORM_TEST_PG_URL' : 'ORM_TEST_MYSQL_URL'} is not set)`)
      continue
    }
    const file = join(tmpdir(), `bench-memory-${process.pid}.db`)
    const handle = dialect === 'sqlite' ? new Database(file) : undefined
    const db = createDb({ schema, dialect: ormDialect(dialect, handle ? { database: handle } : { url }) })
    try {
      console.error(`${dialect}: seeding...`)
      await seed(db)
      await db.execute(dialect === 'mysql' ? sql`ANALYZE TABLE bench_users, bench_posts, bench_comments, bench_profiles` : sql`ANALYZE`)
      const target = dialect === 'sqlite' ? file : url!
      const samples: Sample[] = []
      for (const side of sides) {
        const s = await runChild(dialect, side, target)
        const ok = s.counts.users === 2_000 && s.counts.posts === 20_000 && s.counts.comments === 100_000
        if (!s.error && !ok) s.error = `loaded ${s.counts.users} users, ${s.counts.posts} posts, ${s.counts.comments} comments`
        if (s.error && !(side === 'sequelize' && /sqlite3/.test(s.error))) failed = true
        console.error(`  ${side}: ${s.error ? `FAILED ${s.error}` : `${f(s.ms)} ms, peak heap +${f(s.peakHeapMb)} MB, retained +${f(s.retainedHeapMb)} MB, peak RSS +${f(s.peakRssMb)} MB`}`)
        samples.push(s)
      }
      const title = dialect === 'sqlite' ? 'SQLite (a file, opened by each child)' : dialect === 'pg' ? 'PostgreSQL' : 'MySQL / MariaDB'
      console.log(`### ${title}\n`)
      console.log('| side | load ms | peak heap Δ MB | retained heap Δ MB | peak RSS Δ MB | GCs during the load | rows |')
      console.log('|---|---:|---:|---:|---:|---:|---|')
      for (const s of samples) {
        const rows = s.error ? `fails: ${s.error.replace(/\|/g, '\\|')}` : 'all 122,000'
        console.log(`| ${TITLES[s.side] ?? s.side} | ${f(s.ms)} | ${f(s.peakHeapMb)} | ${f(s.retainedHeapMb)} | ${f(s.peakRssMb)} | ${s.gcs} | ${rows} |`)
      }
      console.log('')
    } finally {
      await db.schema.drop().catch(() => {})
      await db.close()
      handle?.close()
      if (handle) rmSync(file, { force: true })
    }
  }
  if (skipped.length) console.log(`Skipped: ${skipped.join('; ')}.\n`)
  console.log(`Total run time: ${((performance.now() - started) / 1000).toFixed(0)} s.`)
  return failed ? 1 : 0
}

const argv = process.argv.slice(2)
if (argv[0] === '--child') {
  const [, dialect, side, target] = argv
  child(dialect as DialectKey, side, target).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
} else {
  parent().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
