import { OrmError, type Capabilities } from '@orm/core'

/** Everything the ORM plans with is available on PostgreSQL 10+ (identity columns are the newest need). */
export const pgCapabilities: Capabilities = Object.freeze({
  returning: Object.freeze({ insert: true, update: true, delete: true }),
  consecutiveInsertIds: true,
  upsertTarget: true,
  lateral: true,
  jsonAggregation: true,
  windowFunctions: true,
  limitInSubquery: true,
  selfReferencingSubquery: true,
  tupleIn: true,
  maxParameters: 65535,
  transactionalDdl: true,
  savepoints: true,
  errorAbortsTransaction: true,
  concurrentConnections: true,
})

export const MIN_SERVER_VERSION = 100000

/** Corrections for a server's `server_version_num`; an error for a server too old to use. */
export function capabilitiesFor(versionNum: number): Partial<Capabilities> {
  if (!Number.isFinite(versionNum) || versionNum < MIN_SERVER_VERSION) {
    throw new OrmError(`PostgreSQL 10 or later is required; the server reports version ${versionNum}.`)
  }
  return {}
}
