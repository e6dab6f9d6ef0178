/**
 * A first-come, first-served async lock, for dialects over one embedded connection (SQLite, PGlite): whoever
 * holds the lock holds the connection, from `acquire()` to `release()`; the others queue in arrival order.
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
