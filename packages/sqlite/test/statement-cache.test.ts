import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { fingerprint, StatementCache } from '../src/statement-cache.js'

describe('StatementCache', () => {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE t (a INTEGER, b INTEGER)')
  db.prepare('INSERT INTO t VALUES (1, 2)').run()

  it('returns the statement prepared for the same text, given as a new string', () => {
    const cache = new StatementCache(10)
    const first = cache.get(db, 'SELECT a FROM t')
    const again = cache.get(db, ['SELECT', 'a', 'FROM', 't'].join(' '))
    expect(again).toBe(first)
  })

  it('switches a cached statement between array and object rows, and reads integers as BigInts', () => {
    const cache = new StatementCache(10)
    const entry = cache.get(db, 'SELECT a, b FROM t')
    expect(entry.rows(true).all()).toEqual([[1n, 2n]])
    expect(entry.rows(false).all()).toEqual([{ a: 1n, b: 2n }])
    expect(entry.rows(true).all()).toEqual([[1n, 2n]])
  })

  it('tells apart texts with the same fingerprint', () => {
    // Same length, differing only in a character the fingerprint does not read.
    const one = 'SELECT a AS first_column FROM t WHERE 1 = 1  AND 2 = 2'
    const two = one.replace('SELECT a', 'SELECT b')
    const pick = ['SELECT a AS first_column', 'FROM t WHERE 1 = 1  AND 2 = 2'].join(' ')
    expect(fingerprint(one)).toBe(fingerprint(two))
    const cache = new StatementCache(10)
    expect(cache.get(db, one).rows(true).all()).toEqual([[1n]])
    expect(cache.get(db, two).rows(true).all()).toEqual([[2n]])
    expect(cache.get(db, pick).rows(false).all()).toEqual([{ first_column: 1n }])
  })

  it('keeps at most `size` statements, evicting the oldest, and prepares every time with size 0', () => {
    const cache = new StatementCache(2)
    const a = cache.get(db, 'SELECT a FROM t')
    cache.get(db, 'SELECT b FROM t')
    cache.get(db, 'SELECT a, b FROM t')
    expect(cache.get(db, 'SELECT b FROM t')).toBe(cache.get(db, 'SELECT b FROM t'))
    expect(cache.get(db, 'SELECT a FROM t')).not.toBe(a)
    const none = new StatementCache(0)
    expect(none.get(db, 'SELECT a FROM t')).not.toBe(none.get(db, 'SELECT a FROM t'))
  })
})
