import { createDb, defineSchema, sql, type Dialect, type SqlFragment } from '@orm/core'
import type { FaultHooks, UnreachableCase } from '@orm/testkit'

/** A statement text made at run time (an integer id already checked), as a sql`` fragment. */
function statement(text: string): SqlFragment {
  return sql(Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray)
}

/**
 * Fault hooks for the reliability suite: the backend id of a connection, and a kill issued from a second
 * connection of its own (a separate db on a fresh dialect).
 */
export function faultHooks(options: {
  createDialect: () => Dialect
  backendIdSql: string
  killSql: (id: number) => string
  unreachable: () => readonly UnreachableCase[]
}): FaultHooks {
  return {
    backendId: () => statement(options.backendIdSql),
    async kill(id) {
      if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`Not a backend id: ${id}`)
      const killer = createDb({ schema: defineSchema({}), dialect: options.createDialect() })
      try {
        await killer.execute(statement(options.killSql(id)))
      } finally {
        await killer.close()
      }
    },
    unreachable: options.unreachable,
  }
}

/** The same URL with another port / password / database. */
export function variant(url: string, change: { port?: string; user?: string; password?: string; database?: string }): string {
  const u = new URL(url)
  if (change.port !== undefined) u.port = change.port
  if (change.user !== undefined) u.username = change.user
  if (change.password !== undefined) u.password = change.password
  if (change.database !== undefined) u.pathname = `/${change.database}`
  return u.toString()
}
