/**
 * `@orm/testkit/reporter`: a vitest reporter that adds one table to the run's output, per dialect of
 * `runConformance()`: how many cases ran, passed and failed, and how many were skipped because the dialect
 * lacks a capability (which ones, and how often). Use it beside the default reporter, which keeps its totals:
 *
 * ```ts
 * // vitest.config.ts
 * import { ConformanceReporter } from '@orm/testkit/reporter'
 * export default defineConfig({ test: { reporters: ['default', new ConformanceReporter()] } })
 * ```
 *
 * It reads only what vitest reports, so it can be loaded by a config file (it never imports the test API).
 */
import { writeFileSync } from 'node:fs'
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node'

/** The top-level describe of `runConformance({ name })` is `conformance: <name>`. */
export const SUITE_PREFIX = 'conformance: '
const MISSING = /^missing capabilit(?:y|ies):\s*(.+)$/

export interface DialectReport {
  /** The `name` given to `runConformance`. */
  readonly dialect: string
  /** Every case of the suite, whatever became of it. */
  readonly cases: number
  /** Cases that executed: passed + failed. */
  readonly ran: number
  readonly passed: number
  readonly failed: number
  /** Cases skipped because the dialect lacks a capability they require. */
  readonly skippedForCapability: number
  /** Cases skipped for any other reason (`.skip`, `.todo`, a filter, a bail), or never finished. */
  readonly skippedOther: number
  /** Capability flag -> the number of cases skipped for lacking it (a case lacking two counts for both). */
  readonly missingCapabilities: Readonly<Record<string, number>>
}

/** One row per conformance suite found in the run's modules, in the order they were seen. */
export function summarizeConformance(modules: ReadonlyArray<TestModule>): DialectReport[] {
  const rows = new Map<string, Mutable<DialectReport> & { missingCapabilities: Record<string, number> }>()
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const dialect = dialectOf(test)
      if (dialect === undefined) continue
      let row = rows.get(dialect)
      if (!row) {
        row = { dialect, cases: 0, ran: 0, passed: 0, failed: 0, skippedForCapability: 0, skippedOther: 0, missingCapabilities: {} }
        rows.set(dialect, row)
      }
      row.cases++
      const result = test.result()
      if (result.state === 'passed' || result.state === 'failed') {
        row.ran++
        row[result.state]++
        continue
      }
      const missing = result.state === 'skipped' ? missingOf(test, result.note) : []
      if (missing.length === 0) {
        row.skippedOther++
        continue
      }
      row.skippedForCapability++
      for (const flag of missing) row.missingCapabilities[flag] = (row.missingCapabilities[flag] ?? 0) + 1
    }
  }
  return [...rows.values()]
}

/** The report as text lines: a table, then one line per dialect and missing capability. */
export function formatConformance(rows: readonly DialectReport[]): string[] {
  if (rows.length === 0) return []
  const head = ['dialect', 'ran', 'passed', 'failed', 'skipped (capability)', 'skipped (other)']
  const body = rows.map((r) => [r.dialect, r.ran, r.passed, r.failed, r.skippedForCapability, r.skippedOther].map(String))
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const out = ['', 'Conformance report (@orm/testkit)', line(head), widths.map((w) => '-'.repeat(w)).join('  ')]
  for (const cells of body) out.push(line(cells))
  for (const r of rows) {
    for (const [flag, count] of Object.entries(r.missingCapabilities)) {
      out.push(`  ${r.dialect}: ${count} ${count === 1 ? 'case' : 'cases'} skipped for missing capability ${flag}`)
    }
  }
  return out
}

export interface ConformanceReporterOptions {
  /** Also write the rows as JSON to this file (for a CI artifact). */
  outputFile?: string
}

/** Prints `formatConformance(summarizeConformance(modules))` when the run ends. */
export class ConformanceReporter implements Reporter {
  private vitest?: Vitest
  /** The rows of the last run, for programmatic use. */
  rows: DialectReport[] = []

  constructor(private readonly options: ConformanceReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    this.rows = summarizeConformance(modules)
    const log = (text: string) => (this.vitest ? this.vitest.logger.log(text) : console.log(text))
    for (const text of formatConformance(this.rows)) log(text)
    if (this.options.outputFile) writeFileSync(this.options.outputFile, JSON.stringify(this.rows, null, 2) + '\n')
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

function dialectOf(test: TestCase): string | undefined {
  let top: TestSuite | undefined
  for (let node: TestCase | TestSuite = test; node.parent.type === 'suite'; node = node.parent) top = node.parent
  return top?.name.startsWith(SUITE_PREFIX) ? top.name.slice(SUITE_PREFIX.length) : undefined
}

function missingOf(test: TestCase, note: string | undefined): string[] {
  const meta = test.meta() as { missingCapabilities?: unknown }
  if (Array.isArray(meta.missingCapabilities) && meta.missingCapabilities.length > 0) return meta.missingCapabilities.map(String)
  const match = note ? MISSING.exec(note) : null
  return match ? match[1].split(',').map((s) => s.trim()).filter(Boolean) : []
}
