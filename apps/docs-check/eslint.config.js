import config from '@orm/eslint-config'

// .generated/ holds the page modules a run writes (see src/run-page.ts).
export default [...config, { ignores: ['.generated/**'] }]
