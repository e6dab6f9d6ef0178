import type { Capabilities } from '@orm/core'

/** SQLite 3.45+ as better-sqlite3 12 bundles it; `versionCapabilities` corrects an older system library. */
export const sqliteCapabilities: Capabilities = {
  returning: { insert: true, update: true, delete: true },
  // One writer at a time and rowids handed out in order: a multi-row insert's ids are consecutive.
  consecutiveInsertIds: true,
  upsertTarget: true,
  lateral: false,
  jsonAggregation: true,
  windowFunctions: true,
  limitInSubquery: true,
  selfReferencingSubquery: true,
  tupleIn: true,
  maxParameters: 32766,
  transactionalDdl: true,
  savepoints: true,
  errorAbortsTransaction: false,
  concurrentConnections: false,
}

/** Corrections for the library version reported by `sqlite_version()`, e.g. '3.31.1'. */
export function versionCapabilities(version: string): Partial<Capabilities> {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const atLeast = (m: number) => major > 3 || (major === 3 && minor >= m)
  const returning = atLeast(35)
  return {
    returning: { insert: returning, update: returning, delete: returning },
    maxParameters: atLeast(32) ? 32766 : 999,
    windowFunctions: atLeast(25),
  }
}
