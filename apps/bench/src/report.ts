import os from 'node:os'
import type { CompileOverhead, RelationCompileOverhead } from './compile.js'
import type { Measurement } from './timer.js'

export interface PeerResult {
  readonly name: string
  /** Median µs per operation, and raw's in the same interleaved measurement. */
  readonly us: number
  readonly rawUs: number
  readonly ratio: number
  readonly ratioLow: number
  readonly ratioHigh: number
  readonly statements: number
  /** BEGIN / COMMIT / savepoints, where the peer's log shows them and they are counted apart. */
  readonly transactionControl?: number
  readonly mismatch?: string
  /** The peer's query failed on this database (so it was not timed). */
  readonly failed?: string
}

/** A workload's measurement (timer.ts: medians, the ORM/raw ratio and its quartiles, rounds × batch) and checks. */
export interface WorkloadResult extends Measurement {
  readonly id: string
  readonly title: string
  readonly rawStatements: number
  readonly ormStatements: number
  /** BEGIN / COMMIT / savepoints the ORM sent around its statements. */
  readonly ormTransactionControl: number
  /** Why the raw and ORM results differ, or the raw result is not what the dataset implies. */
  readonly mismatch?: string
  readonly peers?: readonly PeerResult[]
}

export interface DialectResult {
  readonly title: string
  readonly server: string
  readonly driver: string
  readonly seedMs: number
  readonly workloads: readonly WorkloadResult[]
  readonly compile: CompileOverhead
  readonly compileWith?: RelationCompileOverhead
  /** Peers that could not run on this database, and why. */
  readonly unavailable?: readonly { name: string; reason: string }[]
}

/** Ratios above this are called out (and explained in docs/benchmarks.md). */
export const RATIO_BUDGET = 1.3

const us = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2))

export function machine(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  const gb = (os.totalmem() / 2 ** 30).toFixed(1)
  return `${model}, ${os.availableParallelism()} cores, ${gb} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`
}

export function formatDialect(result: DialectResult): string {
  const lines = [
    `### ${result.title}: ${result.server}, ${result.driver}`,
    '',
    '| workload | raw µs/op | ORM µs/op | ORM/raw (p25–p75) | statements/op raw | statements/op ORM | rounds × batch | results |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const w of result.workloads) {
    const ratio = w.ratio > RATIO_BUDGET ? `**${w.ratio.toFixed(2)}×**` : `${w.ratio.toFixed(2)}×`
    const ratioText = `${ratio} (${w.ratioLow.toFixed(2)}–${w.ratioHigh.toFixed(2)})`
    const orm = w.ormTransactionControl ? `${w.ormStatements} + ${w.ormTransactionControl} tx` : `${w.ormStatements}`
    lines.push(
      `| ${w.id} ${w.title} | ${us(w.rawUs)} | ${us(w.ormUs)} | ${ratioText} | ${w.rawStatements} | ${orm} | ${w.rounds} × ${w.batch} | ${w.mismatch ? `MISMATCH: ${w.mismatch.replace(/\|/g, '\\|')}` : 'equal'} |`,
    )
  }
  const unavailable = result.unavailable ?? []
  const names = [...new Set([...result.workloads.flatMap((w) => (w.peers ?? []).map((p) => p.name)), ...unavailable.map((u) => u.name)])]
  if (names.length) {
    lines.push(
      '',
      `Peers, each measured interleaved against raw in its own run of the workload (µs/op, ×raw, statements/op as the peer's own log reports them):`,
      '',
      `| workload | raw µs/op | ORM | ${names.join(' | ')} | fastest |`,
      `|---|---:|---:|${names.map(() => '---:|').join('')}---|`,
    )
    for (const w of result.workloads) {
      if (!w.peers?.length && !unavailable.length) continue
      const cells = names.map((n) => {
        if (unavailable.some((u) => u.name === n)) return 'not run¹'
        const p = w.peers?.find((x) => x.name === n)
        if (!p) return '–'
        if (p.failed) return `fails: ${p.failed.replace(/\|/g, '\\|').slice(0, 60)}`
        const statements = p.transactionControl ? `${p.statements} + ${p.transactionControl} tx` : `${p.statements}`
        return `${us(p.us)} (${p.ratio.toFixed(2)}×, ${statements})${p.mismatch ? ' MISMATCH' : ''}`
      })
      const all = [{ name: 'ORM', ratio: w.ratio }, ...(w.peers ?? []).filter((p) => !p.failed).map((p) => ({ name: p.name, ratio: p.ratio }))]
      const best = all.reduce((a, b) => (b.ratio < a.ratio ? b : a))
      lines.push(`| ${w.id} | ${us(w.rawUs)} | ${us(w.ormUs)} (${w.ratio.toFixed(2)}×, ${w.ormStatements}) | ${cells.join(' | ')} | ${best.name} |`)
    }
  }
  for (const u of unavailable) lines.push('', `¹ ${u.name} not run on this database: ${u.reason}`)
  const c = result.compile
  const cw = result.compileWith
  lines.push(
    '',
    `Compile overhead (new builder, 3 × where, orderBy, limit, then \`toSQL()\`): **${us(c.medianUs)} µs** median ` +
      `(p90 ${us(c.p90Us)} µs) over ${c.iterations.toLocaleString('en-US')} iterations.`,
    ...(cw
      ? [
          `With one \`with('posts')\` (build, compile the parent statement, decode its ${cw.parentRows} canned rows, compile the child statement ` +
            `for their ${cw.parentRows} keys; a replaying driver, no database): **${us(cw.withMedianUs)} µs** median (p90 ${us(cw.withP90Us)} µs); ` +
            `the same query without the \`with\` through the same driver: ${us(cw.plainMedianUs)} µs, so the \`with\` adds ${us(cw.withMedianUs - cw.plainMedianUs)} µs.`,
        ]
      : []),
    `Seeding the dataset (2,000 users and their profiles, 20,000 posts, 100,000 comments, 60,000 tag links, 22,000 images) through the ORM took ${(result.seedMs / 1000).toFixed(1)} s.`,
    '',
  )
  return lines.join('\n')
}
