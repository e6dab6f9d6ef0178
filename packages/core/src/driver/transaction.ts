import { ConnectionError, SerializationError, ValidationError } from '../errors.js'
import type { Connection, Isolation } from './dialect.js'
import { Session } from './session.js'

export interface TransactionOptions {
  /** Retry the whole callback this many times on a SerializationError (deadlock, serialization failure, busy). */
  retries?: number
  isolation?: Isolation
}

const ISOLATIONS: readonly Isolation[] = ['read committed', 'repeatable read', 'serializable']

/**
 * Runs `fn` in a transaction on one connection. Nested calls (a session already in a transaction) use a
 * savepoint. An error that leaves `fn` rolls back everything `fn` wrote, then propagates.
 */
export async function runTransaction<T, Scope>(
  session: Session,
  makeScope: (session: Session) => Scope,
  fn: (scope: Scope) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (options.isolation !== undefined && !ISOLATIONS.includes(options.isolation)) {
    throw new ValidationError(`Unknown isolation level "${String(options.isolation)}". Valid: ${ISOLATIONS.join(', ')}.`)
  }
  const retries = options.retries ?? 0
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new ValidationError(`retries must be a non-negative integer, got ${String(options.retries)}.`)
  }
  if (session.connection) return nested(session, makeScope, fn)

  const { core } = session
  for (let attempt = 0; ; attempt++) {
    const connection = await core.acquire()
    const inner = new Session(core, connection, 0)
    let broken = false
    try {
      await call(session, options.isolation ? `BEGIN (${options.isolation})` : 'BEGIN', () => connection.begin(options.isolation))
      const result = await fn(makeScope(inner))
      await call(session, 'COMMIT', () => connection.commit())
      return result
    } catch (error) {
      broken = error instanceof ConnectionError
      if (!broken) broken = !(await call(session, 'ROLLBACK', () => connection.rollback()).then(() => true, () => false))
      if (!(error instanceof SerializationError) || attempt >= retries) throw error
    } finally {
      inner.finish()
      connection.release(broken)
    }
    await sleep(backoff(attempt))
  }
}

async function nested<T, Scope>(
  session: Session,
  makeScope: (session: Session) => Scope,
  fn: (scope: Scope) => Promise<T>,
): Promise<T> {
  const connection = session.connection as Connection
  const name = `orm_sp_${session.depth + 1}`
  await call(session, `SAVEPOINT ${name}`, () => connection.savepoint(name))
  const inner = new Session(session.core, connection, session.depth + 1)
  try {
    const result = await fn(makeScope(inner))
    await call(session, `RELEASE SAVEPOINT ${name}`, () => connection.releaseSavepoint(name))
    return result
  } catch (error) {
    await call(session, `ROLLBACK TO SAVEPOINT ${name}`, () => connection.rollbackToSavepoint(name)).catch(() => {})
    throw error
  } finally {
    inner.finish()
  }
}

/** Runs a transaction-control call, mapping driver errors like any statement, and logs it. */
async function call(session: Session, label: string, action: () => Promise<void>): Promise<void> {
  const started = performance.now()
  try {
    await action()
    session.core.log?.({ sql: label, params: [], durationMs: performance.now() - started, rowCount: 0 })
  } catch (error) {
    throw session.core.mapError(error)
  }
}

function backoff(attempt: number): number {
  return Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random())
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
