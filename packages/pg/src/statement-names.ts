let nextCache = 0
/** Two copies of this module (ESM and CJS) sharing one pool must not hand out the same names. */
const instance = Math.random().toString(36).slice(2, 6)

/**
 * Names for prepared statements: each distinct SQL text gets one stable name, so every pooled connection
 * parses and plans it once. Only the first `limit` texts are named (each connection keeps its prepared
 * statements until it closes); later texts run unnamed. A name is never reused for another text.
 */
export class StatementNames {
  private readonly names = new Map<string, string | null>()
  private readonly prefix = `orm_${instance}${nextCache++}_`

  constructor(readonly limit = 2000) {}

  nameFor(sql: string): string | undefined {
    let name = this.names.get(sql)
    if (name === undefined && this.names.size < this.limit) {
      name = this.prefix + this.names.size
      this.names.set(sql, name)
    }
    return name ?? undefined
  }

  /** Never name this text again (its prepared plan went stale after a schema change); its old name is not reused. */
  forget(sql: string): void {
    this.names.set(sql, null)
  }

  get size(): number {
    return this.names.size
  }
}
