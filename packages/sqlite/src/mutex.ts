/** A first-come, first-served async lock: the holder of the one SQLite connection, in arrival order. */
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
}
