import { vitestConfig } from '@orm/vitest-config'
import { ConformanceReporter } from '@orm/testkit/reporter'

// The suite runs against the packages as built (their package.json exports), like a user's CI would.
// The default reporter keeps its totals; the conformance reporter adds, per dialect, how many cases ran,
// passed, failed and were skipped for a missing capability.
export default vitestConfig(
  {
    test: {
      globalSetup: ['./src/global-setup.ts'],
      testTimeout: 300_000,
      hookTimeout: 300_000,
      reporters: ['default', new ConformanceReporter()],
    },
  },
  { aliasSources: false },
)
