import { defaultCapabilities, type Dialect } from '@orm/core'
import { describe, expect, it } from 'vitest'
import type { TestModule } from 'vitest/node'
import { missingCapabilities, requireCapabilities } from '../src/capabilities.js'
import { formatConformance, summarizeConformance } from '../src/reporter.js'

/** Just enough of vitest's reported tree for the reporter: suites with names, tests with results and meta. */
type Result = { state: 'passed' | 'failed' | 'skipped' | 'pending'; note?: string }
type Stub = { type: 'suite' | 'test'; name: string; parent: any; result?: Result; meta?: Record<string, unknown>; children?: Stub[] }

function moduleOf(tree: Record<string, Record<string, Result | [Result, Record<string, unknown>]>>): TestModule {
  const module: any = { type: 'module' }
  const tests: any[] = []
  for (const [suiteName, cases] of Object.entries(tree)) {
    const top: Stub = { type: 'suite', name: suiteName, parent: module }
    const inner: Stub = { type: 'suite', name: 'a section', parent: top }
    for (const [name, value] of Object.entries(cases)) {
      const [result, meta] = Array.isArray(value) ? value : [value, {}]
      tests.push({ type: 'test', name, parent: inner, result: () => result, meta: () => meta })
    }
  }
  module.children = { *allTests() { yield* tests } }
  return module as TestModule
}

const dialect = (overrides: Partial<typeof defaultCapabilities>) => ({ capabilities: { ...defaultCapabilities, ...overrides } }) as Pick<Dialect, 'capabilities'>

describe('summarizeConformance / formatConformance', () => {
  it('counts per dialect: ran, passed, failed, skipped for a capability (from meta or the note), other skips', () => {
    const rows = summarizeConformance([
      moduleOf({
        'conformance: pglite': {
          a: { state: 'passed' },
          b: { state: 'failed' },
          c: [{ state: 'skipped', note: 'missing capability: concurrentConnections' }, { missingCapabilities: ['concurrentConnections'] }],
          d: { state: 'skipped', note: 'missing capability: savepoints, windowFunctions' },
          e: { state: 'skipped' },
          f: { state: 'pending' },
        },
        'not the suite': { g: { state: 'passed' } },
      }),
      moduleOf({ 'conformance: pglite': { h: { state: 'passed' } }, 'conformance: other': { i: { state: 'passed' } } }),
    ])
    expect(rows).toEqual([
      {
        dialect: 'pglite', cases: 7, ran: 3, passed: 2, failed: 1, skippedForCapability: 2, skippedOther: 2,
        missingCapabilities: { concurrentConnections: 1, savepoints: 1, windowFunctions: 1 },
      },
      { dialect: 'other', cases: 1, ran: 1, passed: 1, failed: 0, skippedForCapability: 0, skippedOther: 0, missingCapabilities: {} },
    ])
    const lines = formatConformance(rows)
    expect(lines).toContain('  pglite: 1 case skipped for missing capability savepoints')
    expect(lines.find((l) => l.startsWith('pglite'))?.split(/\s+/)).toEqual(['pglite', '3', '2', '1', '2', '2'])
    // .ci/run adds up vitest's "Tests N passed" lines: no line of the report may look like one.
    expect(lines.some((l) => /(^|: )\s*Tests\s/.test(l))).toBe(false)
    expect(formatConformance([])).toEqual([])
  })
})

describe('requireCapabilities', () => {
  it('skips with a note and meta naming what is missing, and does nothing when all are there', () => {
    const task = { meta: {} as Record<string, unknown> }
    const skipped: string[] = []
    const ctx = { task, skip: (note: string) => { skipped.push(note); throw new Error('skipped') } } as any
    requireCapabilities(ctx, dialect({ savepoints: true }), 'savepoints')
    expect(skipped).toEqual([])
    expect(() => requireCapabilities(ctx, dialect({ savepoints: false, concurrentConnections: false }), 'savepoints', 'concurrentConnections', 'tupleIn')).toThrow('skipped')
    expect(skipped).toEqual(['missing capability: savepoints, concurrentConnections'])
    expect(task.meta.missingCapabilities).toEqual(['savepoints', 'concurrentConnections'])
  })

  it('reads each kind of RETURNING on its own', () => {
    expect(missingCapabilities(dialect({ returning: { insert: true, update: false, delete: true } }), ['returning.insert', 'returning.update', 'returning.delete'])).toEqual(['returning.update'])
  })
})
