/**
 * A first-come, first-served async lock. PGlite is one Postgres backend: one session, one transaction at a
 * time. Whoever holds the lock holds that session, from `acquire()` to `release()`; the others queue in order.
 */
export class Mutex {
  private locked = false
  private readonly waiters: (() => void)[] = []

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  unlock(): void {
    const next = this.waiters.shift()
    // Hand the lock straight to the next waiter, so a newcomer cannot overtake the queue.
    if (next) next()
    else this.locked = false
  }

  /** Callers waiting for the lock (for tests and diagnostics). */
  get queued(): number {
    return this.waiters.length
  }
}
