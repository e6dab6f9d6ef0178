import type { LogEvent } from '@orm/core'

const TRANSACTION_CONTROL = /^\s*(?:BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i

/**
 * Counts what the ORM sends, through its `log` option (one event per statement, transaction control
 * included). BEGIN / COMMIT / savepoints are counted apart, as `transactionControl`. Only the db that checks
 * results has this log; the timed db has none.
 */
export class StatementCounter {
  statements = 0
  transactionControl = 0
  readonly log = (event: LogEvent): void => {
    if (TRANSACTION_CONTROL.test(event.sql)) this.transactionControl++
    else this.statements++
  }

  reset(): void {
    this.statements = 0
    this.transactionControl = 0
  }
}
