/**
 * The pages whose TypeScript examples run, with the least each must run: a page that runs fewer blocks or
 * checks than this fails, so examples cannot silently stop running (a marker added by mistake, a block the
 * extractor no longer sees). Raise the numbers when a page gains examples.
 */
export interface PageRule {
  /** ```ts blocks that run (blocks marked skip or excerpt do not count). */
  readonly blocks: number
  /** `// =>` checks that ran, in the page's blocks and hidden code. */
  readonly checks: number
  /** Blocks marked `excerpt`, compared with their files. */
  readonly excerpts?: number
}

export const PAGES: Readonly<Record<string, PageRule>> = {
  'README.md': { blocks: 1, checks: 4 },
  'docs/getting-started.md': { blocks: 5, checks: 4 },
  'docs/schema.md': { blocks: 4, checks: 8 },
  'docs/queries.md': { blocks: 9, checks: 6 },
  'docs/writes.md': { blocks: 6, checks: 12 },
  'docs/relationships.md': { blocks: 13, checks: 8 },
  'docs/eager-loading.md': { blocks: 9, checks: 15 },
  'docs/filters-and-aggregates.md': { blocks: 10, checks: 28 },
  'docs/associations.md': { blocks: 6, checks: 22 },
  'docs/transactions.md': { blocks: 3, checks: 5 },
  'docs/errors.md': { blocks: 1, checks: 4 },
  'docs/ddl.md': { blocks: 8, checks: 11 },
  'docs/dialects.md': { blocks: 4, checks: 2 },
  // Every block is an excerpt of the PGlite example (examples/pglite-dialect, which runs the conformance
  // suite) or of packages/pg, or a signature or outline marked skip.
  'docs/custom-dialects.md': { blocks: 0, checks: 0, excerpts: 8 },
}

/** Pages with ```ts blocks that this package does not run, and what tests them instead. */
export const ELSEWHERE: Readonly<Record<string, string>> = {
  'docs/migrations.md': 'packages/cli/test/docs.test.ts runs it (orm commands, the files they write, their output)',
}
