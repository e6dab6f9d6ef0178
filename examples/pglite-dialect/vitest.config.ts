import { ConformanceReporter } from '@orm/testkit/reporter'
import { defineConfig } from 'vitest/config'

// What a dialect package's own config looks like: the suite against the packages as published (built), the
// default reporter for the totals and the conformance reporter for ran / passed / skipped-for-capability.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', new ConformanceReporter()],
  },
})
