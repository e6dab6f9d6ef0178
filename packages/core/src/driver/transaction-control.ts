/**
 * The transaction-control half of a `Connection` over a SQL database: COMMIT, ROLLBACK and the savepoint
 * statements, written once. A connection extends it, sends the statements through `control(sql)` (its own
 * error mapping included) and writes `begin()` itself (BEGIN IMMEDIATE, isolation levels and START TRANSACTION
 * differ). Savepoint names are quoted with double quotes; a database that quotes otherwise overrides
 * `quoteName` (MySQL: backticks).
 */
export abstract class TransactionControl {
  protected abstract control(sql: string): Promise<void>

  protected quoteName(name: string): string {
    return '"' + name.replace(/"/g, '""') + '"'
  }

  commit(): Promise<void> {
    return this.control('COMMIT')
  }

  rollback(): Promise<void> {
    return this.control('ROLLBACK')
  }

  savepoint(name: string): Promise<void> {
    return this.control(`SAVEPOINT ${this.quoteName(name)}`)
  }

  releaseSavepoint(name: string): Promise<void> {
    return this.control(`RELEASE SAVEPOINT ${this.quoteName(name)}`)
  }

  rollbackToSavepoint(name: string): Promise<void> {
    return this.control(`ROLLBACK TO SAVEPOINT ${this.quoteName(name)}`)
  }
}
