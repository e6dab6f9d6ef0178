import type Database from 'better-sqlite3'
import type { Dataset } from '../dataset.js'
import type { RawSql } from '../raw/sql.js'

/** One operation of a peer ORM on workload `id`, given the dataset and the operation number (as raw and ORM get). */
export type PeerOp = (data: Dataset, op: number) => Promise<unknown>

/** Where a peer connects: the bench's better-sqlite3 handle (SQLite), a file (the memory script's SQLite), or a URL. */
export interface PeerConnection {
  readonly database?: Database.Database
  readonly file?: string
  readonly url?: string
}

/**
 * A peer ORM or query builder on one database: its own connection (pool), its idiomatic code for the workloads it
 * implements, and a count of the statements it sent (through its own logging hook). Its results are normalized
 * like the raw driver's (column names, driver values).
 */
export interface Peer {
  readonly name: string
  /** 'prop': results keyed by property names (Drizzle, TypeORM, Sequelize); by default by column names, like raw's. */
  readonly keys?: 'prop'
  readonly statements: number
  /** BEGIN / COMMIT / savepoints, for peers whose log shows them and that count them apart (TypeORM, Sequelize). */
  readonly transactionControl?: number
  /**
   * The peer's own copy of the database, when it cannot use the bench's (Sequelize on SQLite: sqlite3 cannot open
   * better-sqlite3's in-memory database, so it gets a copy): the untimed resets between batches run there too.
   */
  readonly sql?: RawSql
  /** Brings that copy up to date with the bench's database (B5 changes users between workloads); run before each workload. */
  refresh?(): Promise<void>
  /**
   * W1-W9, and `M1` (every user with posts and comments, ~122,000 rows: the memory script's load) where implemented.
   */
  readonly impl: Partial<Record<string, PeerOp>>
  close(): Promise<void>
}

const TRANSACTION_CONTROL = /^\s*(?:BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i

/** A peer whose statement counts are read from `counter` as it counts. */
export function countedPeer(counter: PeerCounter, peer: Omit<Peer, 'statements' | 'transactionControl'>): Peer {
  return Object.defineProperties({ ...peer } as Peer, {
    statements: { get: () => counter.statements },
    transactionControl: { get: () => counter.transactionControl },
  })
}

/** Counts statements from a peer's log, transaction control apart (same rule as the ORM's counter). */
export class PeerCounter {
  statements = 0
  transactionControl = 0
  count(sql: string): void {
    if (TRANSACTION_CONTROL.test(sql)) this.transactionControl++
    else this.statements++
  }
}

/** createdAt descending, then id descending (W5's order). */
export function newestFirst(a: { createdAt: Date | string; id: number | string }, b: { createdAt: Date | string; id: number | string }): number {
  return new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || Number(b.id) - Number(a.id)
}
