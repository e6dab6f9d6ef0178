import type Database from 'better-sqlite3'
import type { PostInput } from '../dataset.js'
import { postColumns, selectList, userColumns } from '../schema.js'
import { valuesList, type RawClient } from './types.js'

const USER_COLUMNS = selectList(userColumns)
const POST_COLUMNS = selectList(postColumns)
const INSERT_COLUMNS = 'user_id, title, body, published, views, created_at'

/**
 * better-sqlite3, every statement prepared once up front. Booleans are written as 1/0 and timestamps as the
 * ISO 8601 text the ORM stores, so both sides read and write the same bytes.
 */
export function sqliteRaw(db: Database.Database, driver: string, batchSize: number): RawClient {
  const find = db.prepare(`SELECT ${USER_COLUMNS} FROM bench_users WHERE id = ?`)
  const active = db.prepare(`SELECT ${USER_COLUMNS} FROM bench_users WHERE active = 1 ORDER BY id LIMIT 100`)
  const count = db.prepare('SELECT COUNT(*) FROM bench_posts WHERE published = 1').pluck()
  const insert = db.prepare(
    `INSERT INTO bench_posts (${INSERT_COLUMNS}) VALUES ${valuesList(batchSize, 6, () => '?')} RETURNING ${POST_COLUMNS}`,
  )
  const update = db.prepare(`UPDATE bench_users SET score = ? WHERE id = ? RETURNING ${USER_COLUMNS}`)
  const cleanup = db.prepare('DELETE FROM bench_posts WHERE id > ?')

  return {
    driver,
    statements: 0,
    findUser(id) {
      this.statements++
      return find.get(id)
    },
    activeUsers() {
      this.statements++
      return active.all()
    },
    countPublished() {
      this.statements++
      return count.get()
    },
    insertPosts(rows: readonly PostInput[]) {
      if (rows.length !== batchSize) throw new Error(`the prepared insert takes ${batchSize} rows`)
      const params: unknown[] = []
      for (const r of rows) params.push(r.userId, r.title, r.body, r.published ? 1 : 0, r.views, r.createdAt.toISOString())
      this.statements++
      return insert.all(params)
    },
    updateScore(id, score) {
      this.statements++
      return update.get(score, id)
    },
    deletePostsAbove(id) {
      cleanup.run(id)
    },
    async close() {},
  }
}
