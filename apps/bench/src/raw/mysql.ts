import { createPool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise'
import type { PostInput } from '../dataset.js'
import { postColumns, selectList, userColumns } from '../schema.js'
import { valuesList, type RawClient } from './types.js'

const USER_COLUMNS = selectList(userColumns)
const POST_COLUMNS = selectList(postColumns)
const INSERT_COLUMNS = 'user_id, title, body, published, views, created_at'

/**
 * mysql2 through a pool with `execute` (server-side prepared statements, cached per connection). Timestamps are
 * read and written in UTC like the ORM's. MariaDB 10.5+ has INSERT ... RETURNING; MySQL has neither that nor
 * UPDATE ... RETURNING, so there an insert reads its rows back by the id range and an update re-selects the row.
 */
export async function mysqlRaw(uri: string, driver: string, batchSize: number): Promise<RawClient & { server: string }> {
  const pool = createPool({ uri, timezone: 'Z' })
  const [versionRows] = await pool.query<RowDataPacket[]>('SELECT VERSION() AS v')
  const server = String(versionRows[0].v)
  const [, major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(server) ?? []).map(Number)
  const insertReturning = /mariadb/i.test(server) && (major > 10 || (major === 10 && minor >= 5))
  const insertText = `INSERT INTO bench_posts (${INSERT_COLUMNS}) VALUES ${valuesList(batchSize, 6, () => '?')}`
  const findText = `SELECT ${USER_COLUMNS} FROM bench_users WHERE id = ?`

  const client: RawClient & { server: string } = {
    driver,
    server,
    statements: 0,
    async findUser(id) {
      this.statements++
      const [rows] = await pool.execute<RowDataPacket[]>(findText, [id])
      return rows[0]
    },
    async activeUsers() {
      this.statements++
      const [rows] = await pool.execute<RowDataPacket[]>(`SELECT ${USER_COLUMNS} FROM bench_users WHERE active = 1 ORDER BY id LIMIT 100`)
      return rows
    },
    async countPublished() {
      this.statements++
      const [rows] = await pool.execute<RowDataPacket[]>('SELECT COUNT(*) AS n FROM bench_posts WHERE published = 1')
      return rows[0].n
    },
    async insertPosts(rows: readonly PostInput[]) {
      if (rows.length !== batchSize) throw new Error(`the prepared insert takes ${batchSize} rows`)
      const values: (string | number | Date)[] = []
      for (const r of rows) values.push(r.userId, r.title, r.body, r.published ? 1 : 0, r.views, r.createdAt)
      if (insertReturning) {
        this.statements++
        const [stored] = await pool.execute<RowDataPacket[]>(`${insertText} RETURNING ${POST_COLUMNS}`, values)
        return stored
      }
      // One connection for both statements; a multi-row insert's ids are consecutive (innodb_autoinc_lock_mode 0/1).
      const connection = await pool.getConnection()
      try {
        this.statements += 2
        const [header] = await connection.execute<ResultSetHeader>(insertText, values)
        const [stored] = await connection.execute<RowDataPacket[]>(
          `SELECT ${POST_COLUMNS} FROM bench_posts WHERE id >= ? AND id < ? ORDER BY id`,
          [header.insertId, header.insertId + rows.length],
        )
        return stored
      } finally {
        connection.release()
      }
    },
    async updateScore(id, score) {
      // No UPDATE ... RETURNING on MySQL or MariaDB: the update, then the row, on one connection.
      const connection = await pool.getConnection()
      try {
        this.statements += 2
        await connection.execute('UPDATE bench_users SET score = ? WHERE id = ?', [score, id])
        const [rows] = await connection.execute<RowDataPacket[]>(findText, [id])
        return rows[0]
      } finally {
        connection.release()
      }
    },
    async deletePostsAbove(id) {
      await pool.query('DELETE FROM bench_posts WHERE id > ?', [id])
    },
    close: () => pool.end(),
  }
  return client
}
