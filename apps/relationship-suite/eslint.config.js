import base from '@orm/eslint-config'

export default [
  ...base,
  // the scripts are plain Node ES modules
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
]
