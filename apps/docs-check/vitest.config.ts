import { vitestConfig } from '@orm/vitest-config'
import { configDefaults } from 'vitest/config'

// The pages run against the packages as built (their package.json exports), as a user's code would. The test
// files run side by side: each dialect has databases of its own, and the type check needs none.
export default vitestConfig(
  { test: { testTimeout: 60_000, fileParallelism: true, exclude: [...configDefaults.exclude, '.generated/**'] } },
  { aliasSources: false },
)
