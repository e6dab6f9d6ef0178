import type Database from 'better-sqlite3'
import { rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataTypes, Op, Sequelize, type Options, type Transaction } from 'sequelize'
import type { Dataset } from '../dataset.js'
import type { RawSql, Row } from '../raw/sql.js'
import { graphInput, w7Target } from '../rel-workloads.js'
import { countedPeer, newestFirst, PeerCounter, type Peer, type PeerConnection } from './types.js'

type Dialect = 'sqlite' | 'pg' | 'mysql'

/** The bench tables as Sequelize models (`sequelize.define`, no automatic timestamps) and their associations. */
function models(sequelize: Sequelize, dialect: Dialect) {
  const id = { type: dialect === 'sqlite' ? DataTypes.INTEGER : DataTypes.BIGINT, primaryKey: true, autoIncrement: true }
  const big = dialect === 'sqlite' ? DataTypes.INTEGER : DataTypes.BIGINT
  const ts = { type: DataTypes.DATE(3), field: 'created_at' }
  const opts = (tableName: string) => ({ tableName, timestamps: false })
  const User = sequelize.define(
    'User',
    { id, name: DataTypes.STRING, email: DataTypes.STRING, active: DataTypes.BOOLEAN, score: DataTypes.INTEGER, createdAt: ts },
    opts('bench_users'),
  )
  const Profile = sequelize.define('Profile', { id, userId: { type: big, field: 'user_id' }, bio: DataTypes.STRING }, opts('bench_profiles'))
  const Post = sequelize.define(
    'Post',
    {
      id,
      userId: { type: big, field: 'user_id' },
      title: DataTypes.STRING,
      body: DataTypes.TEXT,
      published: DataTypes.BOOLEAN,
      views: DataTypes.INTEGER,
      createdAt: ts,
    },
    opts('bench_posts'),
  )
  const Comment = sequelize.define('Comment', { id, postId: { type: big, field: 'post_id' }, body: DataTypes.STRING }, opts('bench_comments'))
  const Tag = sequelize.define('Tag', { id, name: DataTypes.STRING }, opts('bench_tags'))
  const PostTag = sequelize.define(
    'PostTag',
    { postId: { type: big, field: 'post_id', primaryKey: true }, tagId: { type: big, field: 'tag_id', primaryKey: true } },
    opts('bench_post_tags'),
  )
  const Image = sequelize.define(
    'Image',
    { id, url: DataTypes.STRING, imageableId: { type: big, field: 'imageable_id' }, imageableType: { type: DataTypes.STRING, field: 'imageable_type' } },
    opts('bench_images'),
  )
  User.hasOne(Profile, { as: 'profile', foreignKey: 'userId' })
  User.hasMany(Post, { as: 'posts', foreignKey: 'userId' })
  Post.belongsTo(User, { as: 'author', foreignKey: 'userId' })
  Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' })
  Post.belongsToMany(Tag, { through: PostTag, as: 'tags', foreignKey: 'postId', otherKey: 'tagId' })
  // polymorphic, as Sequelize's docs show it: a scoped hasMany on imageable_id without a foreign key constraint
  Post.hasMany(Image, { as: 'images', foreignKey: 'imageableId', constraints: false, scope: { imageableType: 'posts' } })
  return { User, Profile, Post, Comment, Tag, PostTag, Image }
}

/** sqlite3 (the driver Sequelize's SQLite dialect loads), or why it cannot be loaded. */
function loadSqlite3(): any {
  try {
    return createRequire(import.meta.url)('sqlite3')
  } catch (error) {
    throw new Error(`sqlite3 (Sequelize's SQLite driver, a native module built at install time) does not load: ${(error as Error).message.split('\n')[0]}`)
  }
}

/**
 * Sequelize 6, written as its docs show: `findAll({ include })` for eager loading, with `separate: true` for the
 * hasMany includes of a paged parent list (one `WHERE fk IN (...)` query per level, and a per-parent `limit`
 * done as a UNION ALL of one subquery per parent), `sequelize.literal` subqueries for relation filters and counts,
 * `create({ ... }, { include })` for the graph and the belongsToMany mixins (`setTags`, `addTags`) for links,
 * all in managed transactions. Statements are counted through `logging` (BEGIN / COMMIT apart).
 *
 * SQLite: Sequelize's driver is sqlite3, which cannot open better-sqlite3's in-memory database, so the peer
 * gets an in-memory copy of it (better-sqlite3 `serialize()` into a temporary file, sqlite3's backup API into
 * `:memory:`), made again before each workload (B5 changes users); the untimed resets between batches run on that
 * copy too (`sql`).
 */
export async function sequelizePeer(dialect: Dialect, conn: PeerConnection): Promise<Peer> {
  const counter = new PeerCounter()
  const logging = (text: string) => counter.count(text.replace(/^Executing \([^)]*\): /, ''))
  const common: Options = { logging, benchmark: false }
  let sequelize: Sequelize
  let copy: RawSql | undefined
  let refresh: (() => Promise<void>) | undefined
  if (dialect === 'sqlite') {
    const sqlite3 = loadSqlite3()
    sequelize = new Sequelize({ ...common, dialect: 'sqlite', dialectModule: sqlite3, storage: conn.file ?? ':memory:' })
    if (!conn.file) {
      const handle: any = await (sequelize.connectionManager as any).getConnection()
      refresh = () => copyInto(handle, conn.database!)
      await refresh()
      copy = sqlite3Sql(handle)
    }
  } else if (dialect === 'pg') {
    sequelize = new Sequelize(conn.url!, { ...common, dialect: 'postgres' })
  } else {
    // MariaDB through Sequelize's 'mysql' dialect, on mysql2 like the other implementations
    sequelize = new Sequelize(conn.url!, { ...common, dialect: 'mysql', timezone: '+00:00' })
  }
  await sequelize.authenticate()
  const { User, Post } = models(sequelize, dialect)
  const qi = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name)
  const tx = <T>(fn: (t: Transaction) => Promise<T>) => sequelize.transaction(fn)
  const plain = (rows: any[]) => rows.map((r) => r.get({ plain: true }))
  const lockOf = (t: Transaction) => (dialect === 'sqlite' ? {} : { lock: dialect === 'pg' ? { level: t.LOCK.UPDATE, of: Post } : t.LOCK.UPDATE })

  const allUsers = (limit?: number, offset?: number) =>
    User.findAll({
      order: [['id', 'ASC']],
      limit,
      offset,
      include: [{ association: 'posts', separate: true, include: [{ association: 'comments', separate: true }] }],
    })

  return countedPeer(counter, {
    name: 'Sequelize',
    keys: 'prop',
    sql: copy,
    refresh,
    close: () => sequelize.close(),
    impl: {
      W1: async (data, op) => plain(await allUsers(100, (op * 100) % (data.userIds.length - 100))),
      // belongsToMany cannot be `separate`: one statement, the page of posts as a subquery joined to authors and tags
      W2: async (data, op) =>
        plain(
          await Post.findAll({
            order: [['id', 'ASC']],
            limit: 500,
            offset: (op * 500) % (data.postIds.length - 500),
            include: [{ association: 'author' }, { association: 'tags', through: { attributes: [] } }],
          }),
        ),
      W3: async () =>
        plain(
          await User.findAll({
            where: {
              id: {
                [Op.in]: sequelize.literal(
                  `(SELECT p.user_id FROM bench_posts p WHERE p.published = ${sequelize.escape(true as never)} ` +
                    'AND EXISTS (SELECT 1 FROM bench_comments c WHERE c.post_id = p.id) GROUP BY p.user_id HAVING COUNT(*) >= 5)',
                ),
              },
            },
            order: [['id', 'ASC']],
          }),
        ),
      W4: async () =>
        plain(
          await User.findAll({
            attributes: {
              include: [
                [sequelize.literal(`(SELECT COUNT(*) FROM bench_posts p WHERE p.user_id = ${qi('User')}.${qi('id')})`), 'postsCount'],
                [
                  sequelize.literal(`(SELECT COUNT(*) FROM bench_comments c JOIN bench_posts p ON p.id = c.post_id WHERE p.user_id = ${qi('User')}.${qi('id')})`),
                  'commentsCount',
                ],
              ],
            },
            order: [['id', 'ASC']],
            limit: 1000,
          }),
        ),
      // A separate include with a limit is one UNION of per-parent subqueries (each ordered and limited) without an
      // outer ORDER BY, so the rows come back in whatever order the UNION leaves them (ascending on SQLite): the 3
      // posts are the right ones, and are put newest first again in JS.
      W5: async (data, op) => {
        const users = plain(
          await User.findAll({
            order: [['id', 'ASC']],
            limit: 200,
            offset: (op * 200) % (data.userIds.length - 200),
            include: [{ association: 'posts', separate: true, order: [['createdAt', 'DESC'], ['id', 'DESC']], limit: 3 }],
          }),
        )
        for (const u of users) u.posts.sort(newestFirst)
        return users
      },
      W8: async (data, op) => (await User.findByPk(data.userIds[(op * 7919) % data.userIds.length], { include: [{ association: 'profile' }] }))?.get({ plain: true }) ?? null,
      W9: async (data, op) =>
        plain(await Post.findAll({ order: [['id', 'ASC']], limit: 200, offset: (op * 200) % (data.postIds.length - 200), include: [{ association: 'images', separate: true }] })),
      W7: (data: Dataset, op: number) =>
        tx(async (t) => {
          const ids = data.postIds.slice(0, 50)
          const posts: any[] = await Post.findAll({
            where: { id: ids },
            include: [{ association: 'tags', attributes: ['id'], through: { attributes: [] } }],
            order: [['id', 'ASC']],
            transaction: t,
            ...lockOf(t),
          })
          const result = []
          for (const post of posts) {
            const postId = Number(post.id)
            const want = w7Target(data, postId, op)
            const now = new Set<number>(post.tags.map((tag: any) => Number(tag.id)))
            result.push({ attached: want.filter((tag) => !now.has(tag)), detached: [...now].filter((tag) => !want.includes(tag)) })
            await post.setTags(want, { transaction: t })
          }
          return result
        }),
      W6: (data: Dataset, op: number) =>
        tx(async (t) => {
          const g = graphInput(data, op)
          const user: any = await User.create(
            { ...g, posts: g.posts.map(({ tags: _tags, ...p }) => p) },
            { include: [{ association: 'profile' }, { association: 'posts', include: [{ association: 'comments' }] }], transaction: t },
          )
          for (const [i, post] of user.posts.entries()) await post.addTags(g.posts[i].tags.map((tag) => tag.id), { transaction: t })
          const out = user.get({ plain: true })
          out.posts.forEach((p: any, i: number) => (p.tags = g.posts[i].tags))
          return out
        }),
      M1: async () => plain(await allUsers()),
    },
  })
}

/** Replaces the content of sqlite3 database `target` with better-sqlite3 database `source` (through a temporary file). */
async function copyInto(target: any, source: Database.Database): Promise<void> {
  const file = join(tmpdir(), `bench-sequelize-${process.pid}.db`)
  writeFileSync(file, source.serialize())
  try {
    await new Promise<void>((resolve, reject) => {
      const backup = target.backup(file, 'main', 'main', false, (error: Error | null) => {
        if (error) return reject(error)
        backup.step(-1, (stepError: Error | null) => (stepError ? reject(stepError) : backup.finish(() => resolve())))
      })
    })
  } finally {
    rmSync(file, { force: true })
  }
}

/** The reset statements of the workloads (W6, W7), run on Sequelize's sqlite3 copy of the database. */
function sqlite3Sql(db: any): RawSql {
  const bind = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? v.toISOString() : v)
  const q: RawSql = {
    dialect: 'sqlite',
    statements: 0,
    all: (text, params = []) =>
      new Promise<Row[]>((resolve, reject) => db.all(text, params.map(bind), (error: Error | null, rows: Row[]) => (error ? reject(error) : resolve(rows ?? [])))),
    tx: (fn) => fn(q),
    close: async () => {},
  }
  return q
}
