import pg from 'pg'
import type { PostInput } from '../dataset.js'
import { postColumns, selectList, userColumns } from '../schema.js'
import { valuesList, type RawClient } from './types.js'

const USER_COLUMNS = selectList(userColumns)
const POST_COLUMNS = selectList(postColumns)
const INSERT_COLUMNS = 'user_id, title, body, published, views, created_at'

/**
 * pg through a pool (`pool.query`, as an application would), every statement named so each connection parses
 * and plans it once. Values come back as pg parses them by default (bigint as a string, timestamptz as a Date).
 */
export function pgRaw(connectionString: string, driver: string, batchSize: number): RawClient {
  const pool = new pg.Pool({ connectionString })
  const insertText = `INSERT INTO bench_posts (${INSERT_COLUMNS}) VALUES ${valuesList(batchSize, 6, (n) => `$${n}`)} RETURNING ${POST_COLUMNS}`

  return {
    driver,
    statements: 0,
    async findUser(id) {
      this.statements++
      const result = await pool.query({ name: 'bench_b1', text: `SELECT ${USER_COLUMNS} FROM bench_users WHERE id = $1`, values: [id] })
      return result.rows[0]
    },
    async activeUsers() {
      this.statements++
      const text = `SELECT ${USER_COLUMNS} FROM bench_users WHERE active ORDER BY id LIMIT 100`
      return (await pool.query({ name: 'bench_b2', text })).rows
    },
    async countPublished() {
      this.statements++
      const result = await pool.query({ name: 'bench_b3', text: 'SELECT count(*) AS n FROM bench_posts WHERE published' })
      return result.rows[0].n
    },
    async insertPosts(rows: readonly PostInput[]) {
      if (rows.length !== batchSize) throw new Error(`the prepared insert takes ${batchSize} rows`)
      const values: unknown[] = []
      for (const r of rows) values.push(r.userId, r.title, r.body, r.published, r.views, r.createdAt)
      this.statements++
      return (await pool.query({ name: 'bench_b4', text: insertText, values })).rows
    },
    async updateScore(id, score) {
      this.statements++
      const text = `UPDATE bench_users SET score = $1 WHERE id = $2 RETURNING ${USER_COLUMNS}`
      return (await pool.query({ name: 'bench_b5', text, values: [score, id] })).rows[0]
    },
    async deletePostsAbove(id) {
      await pool.query('DELETE FROM bench_posts WHERE id > $1', [id])
    },
    close: () => pool.end(),
  }
}
