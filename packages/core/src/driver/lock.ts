import { ConnectionError, LockTimeoutError } from '../errors.js'
import { Session } from './session.js'

export interface LockOptions {
  /** How long to wait for another holder before failing. Default 60 s. */
  timeoutMs?: number
}

/**
 * Runs `fn` holding the dialect's lock `name` (see DialectLock), released when `fn` settles, whether it
 * returned or threw. Waits up to `timeoutMs` for another holder, then fails with a LockTimeoutError.
 */
export async function runWithLock<T, Scope>(
  session: Session,
  makeScope: (session: Session) => Scope,
  name: string,
  fn: (scope: Scope) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const { core } = session
  await core.ready()
  const lock = core.dialect.lock
  // Inside a transaction a transactional lock is held already (the transaction has the write lock).
  if (!lock || (session.connection && lock.transactional)) return fn(makeScope(session))
  const timeoutMs = options.timeoutMs ?? 60_000
  const own = !session.connection
  const connection = session.connection ?? (await core.acquire())
  let acquired = false
  let broken = false
  try {
    acquired = await lock.acquire(connection, name, timeoutMs).catch((error: unknown) => {
      throw core.mapError(error)
    })
    if (!acquired) {
      throw new LockTimeoutError(
        `Timed out after ${timeoutMs / 1000} s waiting for the lock "${name}" on ${core.dialect.name}: ` +
          'another process holds it (another orm migrate still running?).',
      )
    }
    // The work under a transactional lock runs inside it, on its connection.
    const inner = lock.transactional ? new Session(core, connection, 0) : session
    try {
      return await fn(makeScope(inner))
    } finally {
      if (inner !== session) inner.finish()
    }
  } catch (error) {
    broken = error instanceof ConnectionError
    throw error
  } finally {
    if (acquired) {
      await lock.release(connection, name).catch(() => {
        broken = true // the connection may still hold it: do not hand it to anyone else
      })
    }
    if (own) connection.release(broken)
  }
}
