import type { Dataset } from '../dataset.js'

/** One operation of a peer ORM on workload `id`, given the dataset and the operation number (as raw and ORM get). */
export type PeerOp = (data: Dataset, op: number) => Promise<unknown>

/**
 * A peer ORM or query builder on one database: its own connection (pool), its idiomatic code for the workloads it
 * implements, and a count of the statements it sent (through its own logging hook). Its results are normalized
 * like the raw driver's (column names, driver values).
 */
export interface Peer {
  readonly name: string
  /** 'prop': results keyed by property names (Drizzle); by default by column names, like raw's. */
  readonly keys?: 'prop'
  readonly statements: number
  readonly impl: Partial<Record<string, PeerOp>>
  close(): Promise<void>
}
