/**
 * What a dialect (and the server behind it) can do. The runtime plans with these flags and never
 * with a dialect's name. Drivers correct them from the server version when they first connect.
 */
export interface Capabilities {
  /** RETURNING on each kind of statement (MariaDB has it on INSERT and DELETE, never UPDATE). */
  readonly returning: { readonly insert: boolean; readonly update: boolean; readonly delete: boolean }
  /** The ids of one multi-row INSERT are consecutive from the reported first id (MySQL lock mode 0 or 1). */
  readonly consecutiveInsertIds: boolean
  /** ON CONFLICT (cols) with an explicit target; false means the upsert matches any unique key. */
  readonly upsertTarget: boolean
  readonly lateral: boolean
  readonly jsonAggregation: boolean
  readonly windowFunctions: boolean
  /** LIMIT is allowed inside an `IN (subquery)`. */
  readonly limitInSubquery: boolean
  /** An UPDATE/DELETE may read its own table in a subquery without wrapping it in a derived table. */
  readonly selfReferencingSubquery: boolean
  /** Row values: `(a, b) IN ((1, 2), ...)`. */
  readonly tupleIn: boolean
  /** Bound parameters allowed in one statement. */
  readonly maxParameters: number
  readonly transactionalDdl: boolean
  readonly savepoints: boolean
  /** Any failed statement aborts the whole transaction until rollback (PostgreSQL): recover with savepoints. */
  readonly errorAbortsTransaction: boolean
  /** Several connections can work at once (false for an embedded single-connection database). */
  readonly concurrentConnections: boolean
}

export const defaultCapabilities: Capabilities = {
  returning: { insert: false, update: false, delete: false },
  consecutiveInsertIds: false,
  upsertTarget: true,
  lateral: false,
  jsonAggregation: false,
  windowFunctions: true,
  limitInSubquery: true,
  selfReferencingSubquery: true,
  tupleIn: true,
  maxParameters: 999,
  transactionalDdl: false,
  savepoints: true,
  errorAbortsTransaction: false,
  concurrentConnections: true,
}
