import type Database from 'better-sqlite3'

/**
 * Prepared statements by SQL text. Preparing costs more than running a small statement, and the ORM repeats
 * the same texts. A Map keeps insertion order, so re-inserting on a hit and evicting the first key is LRU.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>()

  constructor(private readonly size: number) {}

  get(db: Database.Database, sql: string): Database.Statement {
    const cached = this.statements.get(sql)
    if (cached) {
      this.statements.delete(sql)
      this.statements.set(sql, cached)
      return cached
    }
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
