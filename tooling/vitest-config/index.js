import { defineConfig } from 'vitest/config'

/** Shared vitest settings: real databases are slow to warm up, tests in one file run in order. */
export function vitestConfig(overrides = {}) {
  return defineConfig({
    ...overrides,
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      fileParallelism: false,
      reporters: ['default'],
      ...(overrides.test ?? {}),
    },
  })
}
