import { vitestConfig } from '@orm/vitest-config'

// The suite runs against the packages as built (their package.json exports), like a user's CI would.
export default vitestConfig(
  {
    test: {
      globalSetup: ['./src/global-setup.ts'],
      testTimeout: 300_000,
      hookTimeout: 300_000,
    },
  },
  { aliasSources: false },
)
