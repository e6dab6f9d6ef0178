/**
 * An error the CLI reports as one line (a missing config, a bad migration name, a failed migration):
 * the message says what is wrong and what to do, with no stack trace.
 */
export class CliError extends Error {
  readonly code: string
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'CliError'
    this.code = options.code ?? 'CLI_ERROR'
  }
}

/**
 * An error the ORM threw on purpose (ConnectionError, QueryError, SchemaError, ...). Checked by its `code`,
 * not with instanceof: the config may load its own copy of @orm/core.
 */
export function isOrmError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' && /^[A-Z_]+$/.test(code)
}

/** The first line of an error's message, for one-line reports. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].trim() || (error instanceof Error ? error.name : 'Unknown error')
}
