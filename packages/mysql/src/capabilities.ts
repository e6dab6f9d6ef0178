import type { Capabilities } from '@orm/core'

export type MysqlProfile = 'auto' | 'mysql-8.0' | 'mariadb'

/** What the server is, read from `SELECT VERSION()` and `@@innodb_autoinc_lock_mode` at connect. */
export interface ServerInfo {
  readonly version: string
  readonly mariadb: boolean
  readonly major: number
  readonly minor: number
  readonly patch: number
  readonly autoincLockMode: number
  /** `INSERT ... VALUES (...) AS new ON DUPLICATE KEY UPDATE c = new.c` parses (MySQL 8.0.19+, never MariaDB). */
  readonly upsertAlias: boolean
}

/** MySQL 8.0 before connecting: the most common server, and the smallest feature set the code must handle. */
export const mysql80Capabilities: Capabilities = {
  returning: { insert: false, update: false, delete: false },
  consecutiveInsertIds: false,
  upsertTarget: false,
  lateral: false,
  jsonAggregation: true,
  windowFunctions: true,
  limitInSubquery: false,
  selfReferencingSubquery: false,
  tupleIn: true,
  maxParameters: 65535,
  transactionalDdl: false,
  savepoints: true,
  errorAbortsTransaction: false,
  concurrentConnections: true,
}

export function parseServerInfo(version: string, autoincLockMode: number): ServerInfo {
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number)
  const mariadb = /mariadb/i.test(version)
  const upsertAlias = !mariadb && atLeast({ major, minor, patch }, 8, 0, 19)
  return { version, mariadb, major, minor, patch, autoincLockMode, upsertAlias }
}

/** What the server can do. */
export function detectCapabilities(server: ServerInfo): Capabilities {
  const consecutiveInsertIds = server.autoincLockMode === 0 || server.autoincLockMode === 1
  if (server.mariadb) {
    const returning = atLeast(server, 10, 5, 0)
    return {
      ...mysql80Capabilities,
      returning: { insert: returning, update: false, delete: returning },
      consecutiveInsertIds,
      lateral: false,
      jsonAggregation: atLeast(server, 10, 5, 0),
      windowFunctions: atLeast(server, 10, 2, 0),
    }
  }
  return {
    ...mysql80Capabilities,
    consecutiveInsertIds,
    lateral: atLeast(server, 8, 0, 14),
    windowFunctions: server.major >= 8,
  }
}

/**
 * A profile narrows the detected capabilities to one server family's, so its code paths can run elsewhere:
 * 'mysql-8.0' on MariaDB runs the no-RETURNING, non-consecutive-id paths. It never claims what the server lacks.
 */
export function applyProfile(detected: Capabilities, profile: MysqlProfile): Capabilities {
  if (profile === 'mysql-8.0') {
    const { lateral, windowFunctions, jsonAggregation } = detected
    return { ...mysql80Capabilities, lateral, windowFunctions, jsonAggregation }
  }
  if (profile === 'mariadb') {
    return { ...detected, lateral: false, returning: { ...detected.returning, update: false } }
  }
  return detected
}

function atLeast(v: { major: number; minor: number; patch: number }, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major
  if (v.minor !== minor) return v.minor > minor
  return v.patch >= patch
}
