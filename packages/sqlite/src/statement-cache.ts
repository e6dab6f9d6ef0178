import type Database from 'better-sqlite3'

/** A prepared statement with what the connection asks of it on every run, read once. */
export class CachedStatement {
  readonly reader: boolean
  readonly readonly: boolean
  private rawRows = false

  constructor(
    readonly sql: string,
    readonly statement: Database.Statement,
  ) {
    this.reader = statement.reader
    this.readonly = statement.readonly
    // Every INTEGER is read as a BigInt (the codecs narrow it); the mode stays set on the statement.
    statement.safeIntegers(true)
  }

  /** The statement in array or object row mode (a cached statement keeps its mode: it changes only when asked). */
  rows(arrays: boolean): Database.Statement {
    if (this.rawRows !== arrays) {
      this.statement.raw(arrays)
      this.rawRows = arrays
    }
    return this.statement
  }
}

/**
 * Prepared statements by SQL text. Preparing costs more than running a small statement, and the ORM repeats
 * the same texts. Evicts the oldest entry (a Map keeps insertion order); a hit does not move its entry.
 *
 * The ORM compiles every query anew, so each lookup is by a new string, and a Map keyed by it would hash all
 * of it (about 1 µs for a 400-character SELECT: more than in-memory SQLite takes to run it). Entries are
 * found by a fingerprint instead (the length and 16 characters spread over the text) and then compared
 * whole with `===`; texts with the same fingerprint share a bucket.
 */
export class StatementCache {
  private readonly order = new Map<string, CachedStatement>()
  private readonly buckets = new Map<number, CachedStatement[]>()

  constructor(private readonly size: number) {}

  get(db: Database.Database, sql: string): CachedStatement {
    const print = fingerprint(sql)
    const bucket = this.buckets.get(print)
    if (bucket) {
      for (const entry of bucket) if (entry.sql === sql) return entry
    }
    const entry = new CachedStatement(sql, db.prepare(sql))
    if (this.size > 0) this.add(print, entry)
    return entry
  }

  clear(): void {
    this.order.clear()
    this.buckets.clear()
  }

  private add(print: number, entry: CachedStatement): void {
    this.order.set(entry.sql, entry)
    const bucket = this.buckets.get(print)
    if (bucket) bucket.push(entry)
    else this.buckets.set(print, [entry])
    if (this.order.size > this.size) this.evict(this.order.values().next().value!)
  }

  private evict(entry: CachedStatement): void {
    this.order.delete(entry.sql)
    const print = fingerprint(entry.sql)
    const rest = this.buckets.get(print)!.filter((e) => e !== entry)
    if (rest.length) this.buckets.set(print, rest)
    else this.buckets.delete(print)
  }
}

/** The text's length and 16 of its characters, from the end (where statements of one table differ most). */
export function fingerprint(sql: string): number {
  const length = sql.length
  const step = length >>> 4 || 1
  let hash = length
  for (let i = length - 1; i >= 0; i -= step) hash = (Math.imul(hash, 31) + sql.charCodeAt(i)) | 0
  return hash
}
