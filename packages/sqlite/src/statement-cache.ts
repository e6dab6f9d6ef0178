import type Database from 'better-sqlite3'

/**
 * Prepared statements by SQL text. Preparing costs more than running a small statement, and the ORM repeats
 * the same texts. Evicts the oldest entry (a Map keeps insertion order). A hit does not move its entry: the
 * delete and re-insert of an LRU cost more per statement (two more hashes of the SQL text) than re-preparing
 * a hot statement once after it is evicted.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(private readonly size: number) {}

  get(db: Database.Database, sql: string): Database.Statement {
    const cached = this.statements.get(sql)
    if (cached) return cached
    const statement = db.prepare(sql)
    if (this.size > 0) {
      this.statements.set(sql, statement)
      if (this.statements.size > this.size) this.statements.delete(this.statements.keys().next().value!)
    }
    return statement
  }

  clear(): void {
    this.statements.clear()
  }
}
