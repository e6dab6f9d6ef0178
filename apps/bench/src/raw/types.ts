import type { PostInput } from '../dataset.js'

/**
 * The hand-written baseline of one database: each workload as the best SQL for it, through the driver alone,
 * prepared where the driver allows. Results are what the driver returns, untouched (the comparison normalizes
 * them afterwards, outside the timing). A method may answer synchronously (better-sqlite3 does).
 */
export interface RawClient {
  /** The driver and its version, for the report. */
  readonly driver: string
  /** Statements sent so far (transaction control included). */
  statements: number
  /** B1: the user with this id, or undefined. */
  findUser(id: number): unknown
  /** B2: the first 100 active users by id. */
  activeUsers(): unknown
  /** B3: how many posts are published. */
  countPublished(): unknown
  /** B4: inserts these posts in one statement and returns them as stored, with their ids. */
  insertPosts(rows: readonly PostInput[]): unknown
  /** B5: sets a user's score and returns the row as stored. */
  updateScore(id: number, score: number): unknown
  /** Between measured batches: removes the posts B4 added (ids above `id`). Not timed. */
  deletePostsAbove(id: number): unknown
  close(): Promise<void>
}

/** `(?, ?, ...), (...)`: `rows` groups of `width` placeholders; `mark(n)` writes the n-th (1-based). */
export function valuesList(rows: number, width: number, mark: (n: number) => string): string {
  const groups: string[] = []
  let n = 0
  for (let r = 0; r < rows; r++) {
    const marks: string[] = []
    for (let c = 0; c < width; c++) marks.push(mark(++n))
    groups.push(`(${marks.join(', ')})`)
  }
  return groups.join(', ')
}
