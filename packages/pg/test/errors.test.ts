import {
  ConnectionError, ForeignKeyConstraintError, NotFoundError, NotNullConstraintError, QueryError, SerializationError,
  UniqueConstraintError,
} from '@orm/core'
import { describe, expect, it } from 'vitest'
import { describeServer, keyColumns, mapPgError } from '../src/index.js'

const server = describeServer({ connectionString: 'postgres://app:hunter2-secret@db.example:6543/app' })
const pgError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'error')), fields)

describe('mapPgError', () => {
  it('reads host and port from the options, never the password', () => {
    expect(server).toEqual({ label: 'db.example:6543', password: 'hunter2-secret' })
    expect(describeServer({ host: 'h', port: 5 }).label).toBe('h:5')
  })

  it('maps constraint violations with table and column names and no values', () => {
    const unique = mapPgError(pgError({
      code: '23505', message: 'duplicate key value violates unique constraint "u_email"', table: 'users',
      constraint: 'u_email', detail: 'Key (email, "Org Id")=(secret@example.com, 3) already exists.',
    }), 'INSERT ...')
    expect(unique).toBeInstanceOf(UniqueConstraintError)
    expect(unique).toMatchObject({ table: 'users', columns: ['email', 'Org Id'], constraint: 'u_email', sql: 'INSERT ...' })
    expect(unique.message).not.toContain('secret@example.com')

    const fk = mapPgError(pgError({ code: '23503', table: 'posts', detail: 'Key (author_id)=(99) is not present in table "users".' }))
    expect(fk).toBeInstanceOf(ForeignKeyConstraintError)
    expect(fk).toMatchObject({ table: 'posts', columns: ['author_id'] })
    const parent = mapPgError(pgError({ code: '23503', table: 'posts', detail: 'Key (id)=(1) is still referenced from table "posts".' }))
    expect(parent).toMatchObject({ table: 'posts', columns: undefined })

    const nn = mapPgError(pgError({ code: '23502', table: 'users', column: 'name' }))
    expect(nn).toBeInstanceOf(NotNullConstraintError)
    expect(nn).toMatchObject({ table: 'users', columns: ['name'] })
  })

  it('maps deadlocks and serialization failures', () => {
    expect(mapPgError(pgError({ code: '40001' }))).toBeInstanceOf(SerializationError)
    expect(mapPgError(pgError({ code: '40P01' }))).toBeInstanceOf(SerializationError)
  })

  it('maps connection failures to ConnectionError naming host:port and scrubbing the password', () => {
    for (const fields of [
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:6543' },
      { code: '28P01', message: 'password authentication failed for user "app"' },
      { code: '3D000', message: 'database "app" does not exist' },
      { code: '57P01', message: 'terminating connection due to administrator command' },
      { code: '08006', message: 'connection failure' },
      { message: 'Connection terminated unexpectedly' },
      { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND hunter2-secret' },
    ]) {
      const error = mapPgError(pgError(fields), 'SELECT 1', server)
      expect(error).toBeInstanceOf(ConnectionError)
      expect(error.message).toContain('db.example:6543')
      expect(error.message).not.toContain('hunter2-secret')
    }
  })

  it('passes ORM errors through and wraps anything else in QueryError without values', () => {
    const own = new NotFoundError('users')
    expect(mapPgError(own)).toBe(own)
    const cause = pgError({ code: '22P02', message: 'invalid input syntax for type integer: "my-secret"' })
    const error = mapPgError(cause, 'SELECT $1::int')
    expect(error).toBeInstanceOf(QueryError)
    expect(error).toMatchObject({ sql: 'SELECT $1::int', cause })
    expect(error.message).toBe('invalid input syntax for type integer: "…"')
    expect(mapPgError(pgError({ code: '42P01', message: 'relation "x" does not exist' })).message).toBe('relation "x" does not exist')
    expect(mapPgError('boom')).toBeInstanceOf(QueryError)
  })

  it('parses the column names of a key detail', () => {
    expect(keyColumns('Key (a)=(1) already exists.')).toEqual(['a'])
    expect(keyColumns('Key (a, "b, c", "d""e")=(1, 2, 3) already exists.')).toEqual(['a', 'b, c', 'd"e'])
    expect(keyColumns('Key (lower(email::text))=(x) already exists.')).toEqual(['lower(email::text)'])
    expect(keyColumns(undefined)).toBeUndefined()
  })
})
