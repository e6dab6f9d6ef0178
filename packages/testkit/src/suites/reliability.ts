import {
  col, ConnectionError, createDb, defineSchema, QueryError, SerializationError, sql, table,
  UniqueConstraintError, UnknownColumnError, UnknownRelationError, ValidationError,
} from '@orm/core'
import { describe, expect, it } from 'vitest'
import { requireCapabilities } from '../capabilities.js'
import { useSchemaDb, type ConformanceOptions } from '../context.js'

/** Tables of their own, with text columns wide enough for the 1 MB string, and a pivot with a text column. */
const owners = table('tk_rl_owners', { id: col.id(), name: col.text() })
const items = table('tk_rl_items', {
  id: col.id(),
  ownerId: col.bigint().nullable().references(() => owners.id, { onDelete: 'cascade' }),
  code: col.string({ length: 64 }).unique(),
  label: col.text().nullable(),
  qty: col.integer().default(0),
})
const labels = table('tk_rl_labels', { id: col.id(), name: col.text() })
const itemLabels = table(
  'tk_rl_item_labels',
  {
    itemId: col.bigint().references(() => items.id, { onDelete: 'cascade' }),
    labelId: col.bigint().references(() => labels.id, { onDelete: 'cascade' }),
    note: col.text().nullable(),
  },
  { primaryKey: ['itemId', 'labelId'] },
)
const reliabilitySchema = defineSchema({ owners, items, labels, itemLabels }, (r) => ({
  owners: { items: r.hasMany('items', { foreignKey: 'ownerId' }) },
  items: {
    owner: r.belongsTo('owners', { foreignKey: 'ownerId' }),
    labels: r.belongsToMany('labels', { pivot: 'itemLabels', pivotColumns: ['note'] }),
  },
  labels: { items: r.belongsToMany('items', { pivot: 'itemLabels' }) },
}))

const NUL = '\u0000'

/** The hostile strings of the corpus (NUL-free: the NUL strings are `NUL_CORPUS`). */
export const HOSTILE_CORPUS: readonly string[] = [
  "'", '"', '`', "''", '""', "\\'", '\\"', '‘’“”«»', "O'Reilly", 'say "hi"',
  "'; drop table tk_rl_items; --", '"; drop table tk_rl_items; --', '`; drop table tk_rl_items; --',
  "x' or '1'='1", 'x" or "1"="1', "1; delete from tk_rl_items where 1=1",
  '-- comment', '# comment', '/* comment', '*/', '/*!50000 select 1 */',
  '\\', '\\\\', 'a\\', '\\0', '\\n\\r\\t', '\\x00', '\n\r\t',
  '$1', '$2::text', '$$', '$tag$ x $tag$', '?', '??', '? OR ?', ':name', '@var', '%', '_', '%_\\%',
  '😀🚀👩‍👩‍👧', '\u{10FFFF}', '\u202Eevil\u202C', '\u200F\u200E', 'مرحبا', '\uFEFF', 'Ω≈ç√∫',
  '', ' ', 'null', 'NULL', 'undefined', 'true', '0',
  "x'.repeat".repeat(1280), // 10 KB of quotes and dots
  'ab\'"\\;-😀'.repeat(1024 * 128).slice(0, 1024 * 1024), // 1 MB
]
export const NUL_CORPUS: readonly string[] = [NUL, `a${NUL}b`, `'${NUL}; drop table tk_rl_items; --`]

/** Names that must never reach SQL: the corpus and a few plausible-looking ones. */
const HOSTILE_NAMES: readonly string[] = [
  ...HOSTILE_CORPUS.filter((s) => s.length < 20_000), ...NUL_CORPUS,
  'id; drop table tk_rl_items', 'label" = label; --', 'code`', 'items.id', '__proto__', 'constructor', 'toString',
]

function useReliabilityDb(options: ConformanceOptions) {
  return useSchemaDb(reliabilitySchema, options, {
    async reset({ db }) {
      for (const key of ['itemLabels', 'items', 'labels', 'owners'] as const) await db[key].query().delete()
    },
  })
}

/** Runs `fn` (which may throw or reject) and returns what it threw. */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn()
  } catch (error) {
    return error
  }
  return undefined
}

function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…(${s.length})` : s)
}

/** An error must never carry a bound value: checked for every non-trivial hostile string. */
function expectNoValue(error: unknown, value: string): void {
  if (value.length < 4) return
  expect((error as Error).message).not.toContain(value)
}

let codes = 0
const code = () => `c${++codes}`

export function reliabilitySuite(options: ConformanceOptions) {
  /** The string a read gives back: the same, except where the driver is known to drop a leading BOM. */
  const back = (v: string): string => (options.dropsLeadingBom ? v.replace(/^\uFEFF/, '') : v)
  describe('reliability: hostile values round-trip on every write path', () => {
    const t = useReliabilityDb(options)

    it('insert, where, whereIn, whereRaw with ?, update, query update and upsert keep every string verbatim', async () => {
      const owner = await t.db.owners.insert({ name: 'o' })
      for (const s of HOSTILE_CORPUS) {
        const inserted = await t.db.items.insert({ ownerId: owner.id, code: code(), label: s })
        expect((await t.db.items.find(inserted.id))?.label, `insert ${show(s)}`).toBe(back(s))
        // (MySQL's PAD SPACE collations compare ' ' equal to '': the key narrows the match to this row.)
        expect(await t.db.items.query().where('id', inserted.id).where('label', s).pluck('id'), `where ${show(s)}`).toEqual([inserted.id])
        expect(await t.db.items.query().where('id', inserted.id).whereIn('label', [s, 'zz']).count(), `whereIn ${show(s)}`).toBe(1)
        expect(await t.db.items.query().whereRaw('label = ? and id = ?', [s, inserted.id]).count(), `whereRaw ${show(s)}`).toBe(1)

        await t.db.items.update(inserted.id, { label: `${s}~` })
        expect((await t.db.items.find(inserted.id))?.label, `update ${show(s)}`).toBe(back(`${s}~`))
        await t.db.items.query().where('id', inserted.id).update({ label: s })
        expect((await t.db.items.find(inserted.id))?.label, `query update ${show(s)}`).toBe(back(s))

        const upCode = code()
        const up1 = await t.db.items.upsert({ code: upCode, label: s }, { conflict: ['code'], update: ['label'] })
        expect(up1.label, `upsert insert ${show(s)}`).toBe(back(s))
        await t.db.items.upsert({ code: upCode, label: `~${s}` }, { conflict: ['code'], update: ['label'] })
        const upRows = await t.db.items.query().where('code', upCode).get()
        expect(upRows.map((r) => r.label), `upsert update ${show(s)}`).toEqual([`~${s}`])
      }
      expect(await t.db.items.query().count()).toBe(HOSTILE_CORPUS.length * 2)
    })

    it('a constraint error on a hostile value never carries the value in its message', async () => {
      const keys = HOSTILE_CORPUS.filter((s) => s.length >= 4 && s.length <= 64 && s.trim() === s)
      for (const s of keys) {
        await t.db.items.insert({ code: s, label: s })
        const error = await thrown(() => t.db.items.insert({ code: s, label: 'again' }))
        expect(error, show(s)).toBeInstanceOf(UniqueConstraintError)
        expectNoValue(error, s)
      }
      expect(await t.db.items.query().count()).toBe(keys.length)
    })

    it('pivot data through attach and a graph create keep every string verbatim', async () => {
      for (const s of HOSTILE_CORPUS) {
        const item = await t.db.items.insert({ code: code(), label: 'i' })
        const label = await t.db.labels.insert({ name: s })
        await t.db.items.related(item, 'labels').attach({ [label.id]: { note: s } })
        const loaded = await t.db.items.query().where('id', item.id).with('labels').first()
        expect(loaded?.labels.map((l) => [l.name, l.pivot.note]), `attach ${show(s)}`).toEqual([[back(s), back(s)]])

        const graph = await t.db.owners.create({ name: s, items: [{ code: code(), label: s, labels: [{ name: s }] }] })
        const read = await t.db.owners.query().where('id', graph.id).with('items.labels').first()
        expect(read?.name, `graph owner ${show(s)}`).toBe(back(s))
        expect(read?.items.map((i) => i.label), `graph item ${show(s)}`).toEqual([back(s)])
        expect(read?.items[0].labels.map((l) => l.name), `graph label ${show(s)}`).toEqual([back(s)])
      }
    })

    it('NUL characters round-trip, or (where the database refuses them in text) are a clear error and no row', async () => {
      for (const s of NUL_CORPUS) {
        const before = await t.db.items.query().count()
        const writes: [string, () => Promise<unknown>][] = [
          ['insert', () => t.db.items.insert({ code: code(), label: s })],
          ['upsert', () => t.db.items.upsert({ code: code(), label: s }, { conflict: ['code'], update: ['label'] })],
          ['graph create', () => t.db.owners.create({ name: 'n', items: [{ code: code(), label: s }] })],
        ]
        for (const [what, write] of writes) {
          const error = await thrown(write)
          if (options.textRejectsNul) {
            expect(error, `${what} ${show(s)}`).toSatisfy((e: unknown) => e instanceof ValidationError || e instanceof QueryError)
            expect((error as Error).message).not.toContain(s)
            expect(await t.db.items.query().count(), `${what}: no row`).toBe(before)
            expect(await t.db.owners.query().count(), `${what}: no owner`).toBe(0)
          } else {
            expect(error, `${what} ${show(s)}`).toBeUndefined()
          }
        }
        if (!options.textRejectsNul) {
          const rows = await t.db.items.query().where('label', s).get()
          expect(rows.map((r) => r.label)).toEqual([s, s, s])
          const row = rows[0]
          await t.db.items.update(row.id, { label: `${s}${s}` })
          expect((await t.db.items.find(row.id))?.label).toBe(`${s}${s}`)
          expect(await t.db.items.query().whereRaw('label = ?', [`${s}${s}`]).count()).toBe(1)
          await t.db.items.query().delete()
          await t.db.owners.query().delete()
        } else {
          const item = await t.db.items.insert({ code: code(), label: 'x' })
          const updateError = await thrown(() => t.db.items.update(item.id, { label: s }))
          expect(updateError).toSatisfy((e: unknown) => e instanceof ValidationError || e instanceof QueryError)
          expect((await t.db.items.find(item.id))?.label).toBe('x')
          await t.db.items.query().delete()
        }
      }
    })
  })

  describe('reliability: hostile names are rejected before any SQL', () => {
    const t = useReliabilityDb(options)

    it('every place that takes a column, relation or pivot column name rejects the corpus, sending nothing', async () => {
      const item = await t.db.items.insert({ code: code(), label: 'kept' })
      const label = await t.db.labels.insert({ name: 'kept' })
      await t.db.items.related(item, 'labels').attach([label.id])
      t.log.length = 0
      const q = () => t.db.items.query() as any
      const columnPaths: [string, (name: string) => unknown][] = [
        ['where', (s) => q().where(s, 1)],
        ['where op', (s) => q().where(s, '=', 1)],
        ['where object', (s) => q().where({ [s]: 1 })],
        ['orWhere', (s) => q().orWhere(s, 1)],
        ['orderBy', (s) => q().orderBy(s)],
        ['select', (s) => q().select(s)],
        ['pluck', (s) => q().pluck(s)],
        ['whereIn', (s) => q().whereIn(s, [1])],
        ['whereNotIn', (s) => q().whereNotIn(s, [1])],
        ['whereNull', (s) => q().whereNull(s)],
        ['whereBetween', (s) => q().whereBetween(s, [1, 2])],
        ['update values', (s) => q().where('id', item.id).update({ [s]: 1 })],
        ['withSum column', (s) => (t.db.owners.query() as any).withSum('items', s).get()],
        ['withMax column', (s) => (t.db.owners.query() as any).withMax('items', s).get()],
        ['wherePivot', (s) => q().with('labels', (r: any) => r.wherePivot(s, 1)).get()],
        ['orderByPivot', (s) => q().with('labels', (r: any) => r.orderByPivot(s)).get()],
        ['pivot data', (s) => t.db.items.related(item, 'labels').attach({ [label.id]: { [s]: 1 } } as any)],
        ['updatePivot', (s) => (t.db.items.related(item, 'labels') as any).updatePivot(label.id, { [s]: 1 })],
        ['related where', (s) => (t.db.items.related(item, 'labels') as any).where(s, 1).get()],
      ]
      const relationPaths: [string, (name: string) => unknown][] = [
        ['with', (s) => q().with(s).get()],
        ['with dot path', (s) => q().with(`labels.${s}`).get()],
        ['has', (s) => q().has(s).get()],
        ['has dot path', (s) => q().has(`owner.${s}`).get()],
        ['whereHas', (s) => q().whereHas(s, (r: any) => r).get()],
        ['doesntHave', (s) => q().doesntHave(s).get()],
        ['withCount', (s) => q().withCount(s).get()],
        ['withExists', (s) => q().withExists(s).get()],
        ['withSum relation', (s) => q().withSum(s, 'id').get()],
        ['related', (s) => (t.db.items as any).related(item, s).get()],
        ['load', (s) => (t.db.items as any).load([item], s)],
      ]
      let tried = 0
      for (const s of HOSTILE_NAMES) {
        for (const [what, path] of columnPaths) {
          const error = await thrown(() => path(s))
          expect(error, `${what} ${show(s)}`).toBeInstanceOf(UnknownColumnError)
          expect(t.log.map((e) => e.sql), `${what} sent nothing`).toEqual([])
          tried++
        }
        for (const [what, path] of relationPaths) {
          const error = await thrown(() => path(s))
          expect(error, `${what} ${show(s)}`).toBeInstanceOf(UnknownRelationError)
          expect(t.log.map((e) => e.sql), `${what} sent nothing`).toEqual([])
          tried++
        }
        const insertError = await thrown(() => t.db.items.insert({ code: code(), [s]: 'x' } as any))
        expect(insertError, `insert column ${show(s)}`).toBeInstanceOf(UnknownColumnError)
        tried++
      }
      expect(t.log.map((e) => e.sql)).toEqual([])
      expect(tried).toBeGreaterThan(1000)
      // The tables are intact.
      expect(await t.db.items.query().pluck('label')).toEqual(['kept'])
      expect(await t.db.labels.query().count()).toBe(1)
      expect(await t.db.itemLabels.query().count()).toBe(1)
    })

    it('the corpus as values in every table leaves every table intact', async () => {
      const owner = await t.db.owners.insert({ name: 'o' })
      await t.db.items.insert(HOSTILE_CORPUS.map((s) => ({ ownerId: owner.id, code: code(), label: s })))
      await t.db.labels.insert(HOSTILE_CORPUS.map((s) => ({ name: s })))
      for (const key of ['owners', 'items', 'labels', 'itemLabels'] as const) {
        await expect(t.db[key].query().count()).resolves.toBeTypeOf('number')
      }
      expect(await t.db.items.query().count()).toBe(HOSTILE_CORPUS.length)
      expect(await t.db.labels.query().count()).toBe(HOSTILE_CORPUS.length)
      const labelsBack = await t.db.items.query().orderBy('id').pluck('label')
      expect(labelsBack).toEqual(HOSTILE_CORPUS.map(back))
    })
  })

  describe('reliability: limits', () => {
    const t = useReliabilityDb(options)

    it('whereIn with 100,000 keys: get, count, pluck, whereNotIn and strings', async () => {
      const rows = await t.db.items.insert(Array.from({ length: 3000 }, (_, i) => ({ code: `k${i}`, qty: i })))
      const ids = rows.map((r) => r.id)
      const keys = [...ids, ...Array.from({ length: 100_000 - ids.length }, (_, i) => 10_000_000 + i)]
      expect(keys).toHaveLength(100_000)
      const got = await t.db.items.query().whereIn('id', keys).where('qty', '>=', 1000).orderBy('id').get()
      expect(got.map((r) => r.id)).toEqual(ids.slice(1000))
      expect(await t.db.items.query().whereIn('id', keys).count()).toBe(3000)
      expect((await t.db.items.query().whereIn('id', keys).pluck('id')).sort((a, b) => a - b)).toEqual(ids)
      expect(await t.db.items.query().whereNotIn('id', keys.slice(0, 99_000)).count()).toBe(0)
      expect(await t.db.items.query().whereIn('qty', keys).limit(5).orderBy('qty', 'desc').pluck('qty')).toEqual([2999, 2998, 2997, 2996, 2995])
      const strings = [...rows.map((r) => r.code), ...Array.from({ length: 100_000 - rows.length }, (_, i) => `none${i}`)]
      expect(await t.db.items.query().whereIn('code', strings).count()).toBe(3000)
      expect((await t.db.items.query().whereIn('code', strings).get()).length).toBe(3000)
      expect(await t.db.items.query().whereIn('id', keys).update({ label: 'seen' })).toBe(3000)
      expect(await t.db.items.query().where('label', 'seen').count()).toBe(3000)
    }, 300_000)

    it('insert of 70,000 rows in one call', async () => {
      const count = 70_000
      const rows = await t.db.items.insert(Array.from({ length: count }, (_, i) => ({ code: `r${i}`, label: `l${i}`, qty: i })))
      expect(rows).toHaveLength(count)
      expect(new Set(rows.map((r) => r.id)).size).toBe(count)
      expect(rows[count - 1].code).toBe(`r${count - 1}`)
      expect(await t.db.items.query().count()).toBe(count)
      expect((await t.db.items.find(rows[65432].id))?.label).toBe('l65432')
    }, 300_000)
  })

  describe('reliability: concurrency', () => {
    const t = useReliabilityDb(options)

    it('50 parallel inserts of which 25 repeat a unique key: exactly 25 UniqueConstraintErrors and 25 rows', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => t.db.items.insert({ code: `u${i % 25}`, label: String(i) })),
      )
      const rejected = results.filter((r) => r.status === 'rejected')
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25)
      expect(rejected).toHaveLength(25)
      for (const r of rejected) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(UniqueConstraintError)
      expect(await t.db.items.query().count()).toBe(25)
      expect(new Set(await t.db.items.query().pluck('code')).size).toBe(25)
    })

    it('50 parallel transactions, half violating a unique key: 25 errors, 25 rows, nothing partial', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          t.db.transaction(async (tx) => {
            await tx.labels.insert({ name: `side ${i}` })
            await tx.items.insert({ code: `v${i % 25}`, label: String(i) })
          }),
        ),
      )
      const reasons = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
      expect(reasons).toHaveLength(25)
      for (const reason of reasons) expect(reason).toBeInstanceOf(UniqueConstraintError)
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25)
      expect(await t.db.items.query().count()).toBe(25)
      expect(await t.db.labels.query().count()).toBe(25)
    })
  })

  describe('reliability: faults', () => {
    const t = useReliabilityDb(options)
    const faults = options.faults

    it('a connection killed inside a transaction rejects it with a ConnectionError, leaves nothing, and the db goes on', async (ctx) => {
      if (!faults) return ctx.skip('the test setup offers no kill hook')
      await t.db.items.insert({ code: 'before', label: 'b' })
      for (let round = 0; round < 3; round++) {
        const error = await thrown(() =>
          t.db.transaction(async (tx) => {
            await tx.items.insert({ code: `partial${round}`, label: 'p' })
            const [{ id }] = await tx.execute<{ id: number | string }>(faults.backendId())
            await faults.kill(Number(id))
            await tx.items.insert({ code: `after-kill${round}`, label: 'p' })
          }),
        )
        expect(error).toBeInstanceOf(ConnectionError)
        expect(await t.db.items.query().pluck('code')).toEqual(['before'])
      }
      await t.db.items.insert({ code: 'next', label: 'n' })
      expect((await t.db.items.query().orderBy('code').pluck('code'))).toEqual(['before', 'next'])
    })

    it('unreachable host, bad credentials, missing database: one ConnectionError naming the host, no password', async (ctx) => {
      const cases = faults?.unreachable?.() ?? []
      if (cases.length === 0) return ctx.skip('the test setup offers no unreachable configurations')
      for (const c of cases) {
        const db = createDb({ schema: reliabilitySchema, dialect: c.dialect })
        const error = await thrown(() => db.items.query().count())
        expect(error, c.what).toBeInstanceOf(ConnectionError)
        expect((error as ConnectionError).message, c.what).toContain(c.host)
        if (c.secret) expect((error as ConnectionError).message, c.what).not.toContain(c.secret)
        if (c.secret) expect(String((error as ConnectionError).host), c.what).not.toContain(c.secret)
        await db.close()
        await db.close()
        expect(await thrown(() => db.items.query().count()), c.what).toBeInstanceOf(ConnectionError)
      }
    }, 120_000)

    it('close() twice is harmless and a query after close is a ConnectionError', async () => {
      const db = createDb({ schema: reliabilitySchema, dialect: await options.createDialect() })
      expect(await db.execute(sql`select 1 as one`)).toHaveLength(1)
      await db.close()
      await db.close()
      expect(await thrown(() => db.items.query().count())).toBeInstanceOf(ConnectionError)
      expect(await thrown(() => db.transaction(async () => {}))).toBeInstanceOf(ConnectionError)
      const unused = createDb({ schema: reliabilitySchema, dialect: await options.createDialect() })
      await unused.close()
      await unused.close()
      expect(await thrown(() => unused.items.query().count())).toBeInstanceOf(ConnectionError)
    })

    it('a real deadlock is a SerializationError, and transaction({ retries: 3 }) retries it to success', async (ctx) => {
      requireCapabilities(ctx, t.db.dialect, 'concurrentConnections')
      const [a, b] = await t.db.items.insert([{ code: 'A', qty: 0 }, { code: 'B', qty: 0 }])
      const deadlock = async (retries: number) => {
        let attempts = 0
        let release!: () => void
        const bothLocked = new Promise<void>((resolve) => {
          let n = 0
          release = () => {
            if (++n === 2) resolve()
          }
        })
        const worker = (first: number, second: number) =>
          t.db.transaction(
            async (tx) => {
              attempts++
              await tx.items.query().where('id', first).update({ qty: sql`qty + 1` })
              release()
              await bothLocked
              await tx.items.query().where('id', second).update({ qty: sql`qty + 1` })
            },
            { retries },
          )
        const results = await Promise.allSettled([worker(a.id, b.id), worker(b.id, a.id)])
        return { results, attempts }
      }
      const once = await deadlock(0)
      const failures = once.results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)
      expect(failures).toHaveLength(1)
      expect(failures[0]).toBeInstanceOf(SerializationError)
      const retried = await deadlock(3)
      expect(retried.results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
      expect(retried.attempts).toBeGreaterThanOrEqual(3)
      // one success in the first round, two in the second, each adding 1 to both rows
      expect(await t.db.items.query().orderBy('code').pluck('qty')).toEqual([3, 3])
    }, 120_000)
  })
}
