import type { Connection, DialectLock } from '@orm/core'

/**
 * A session-level advisory lock (`pg_try_advisory_lock`), keyed by `hashtext(name)` and so per database. It is
 * polled until the timeout, so a wait never blocks the session without limit; the server frees it if the
 * connection dies.
 */
export class PgAdvisoryLock implements DialectLock {
  readonly transactional = false
  constructor(private readonly pollMs = 100) {}

  async acquire(connection: Connection, name: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const { rows } = await connection.execute({ sql: 'SELECT pg_try_advisory_lock(hashtext($1)) AS ok', params: [name] }, 'array')
      if ((rows[0] as unknown[])[0] === true) return true
      if (Date.now() >= deadline) return false
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs, Math.max(0, deadline - Date.now()))))
    }
  }

  async release(connection: Connection, name: string): Promise<void> {
    await connection.execute({ sql: 'SELECT pg_advisory_unlock(hashtext($1))', params: [name] }, 'array')
  }
}
