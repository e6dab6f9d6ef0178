import type { Capabilities } from '@orm/core'
import { pgCapabilities } from '@orm/pg'

/**
 * PGlite is PostgreSQL (17+, in WebAssembly): every SQL capability of the pg dialect holds. What differs is
 * the process model: one embedded backend, so there is one session and no second connection to run beside it.
 */
export const pgliteCapabilities: Capabilities = Object.freeze({
  ...pgCapabilities,
  concurrentConnections: false,
})
