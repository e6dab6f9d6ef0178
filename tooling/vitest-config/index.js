import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const packages = fileURLToPath(new URL('../../packages/', import.meta.url))

/** Unit tests of a package read the other packages' sources, so they run without a build. */
const sourceAliases = Object.fromEntries(
  ['core', 'sqlite', 'pg', 'mysql', 'testkit'].map((p) => [`@orm/${p}`, `${packages}${p}/src/index.ts`]),
)

/** Shared vitest settings: real databases are slow to warm up, test files run one at a time. */
export function vitestConfig(overrides = {}, { aliasSources = true } = {}) {
  return defineConfig({
    ...overrides,
    resolve: { alias: aliasSources ? sourceAliases : {}, ...(overrides.resolve ?? {}) },
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
