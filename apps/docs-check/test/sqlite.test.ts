import { runPages } from './run-pages.js'

runPages('sqlite')
