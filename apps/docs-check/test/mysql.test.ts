import { runPages } from './run-pages.js'

runPages('mysql')
