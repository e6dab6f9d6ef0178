export { default } from '@orm/eslint-config'
