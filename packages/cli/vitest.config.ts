import { vitestConfig } from '@orm/vitest-config'

// The CLI loads orm.config.ts and migrations with jiti, which import the built @orm packages; the tests use the
// same builds (no source aliases), so that one copy of @orm/core is in play, as in an application.
export default vitestConfig({}, { aliasSources: false })
