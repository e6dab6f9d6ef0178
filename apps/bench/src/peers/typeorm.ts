import 'reflect-metadata'
import {
  Column,
  DataSource,
  Entity,
  In,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  OneToOne,
  PrimaryGeneratedColumn,
  type ColumnType,
  type DataSourceOptions,
  type Logger,
} from 'typeorm'
import type { Dataset } from '../dataset.js'
import { graphInput, w7Target } from '../rel-workloads.js'
import { countedPeer, newestFirst, PeerCounter, type Peer, type PeerConnection } from './types.js'

type Dialect = 'sqlite' | 'pg' | 'mysql'

/** Column types per database, as the ORM created the tables (TypeORM only reads them: no synchronize). */
const TYPES: Record<Dialect, { id: ColumnType; big: ColumnType; int: ColumnType; bool: ColumnType; ts: ColumnType }> = {
  sqlite: { id: 'integer', big: 'integer', int: 'integer', bool: 'boolean', ts: 'datetime' },
  pg: { id: 'bigint', big: 'bigint', int: 'integer', bool: 'boolean', ts: 'timestamptz' },
  mysql: { id: 'bigint', big: 'bigint', int: 'int', bool: 'boolean', ts: 'datetime' },
}

/**
 * The bench tables as TypeORM entities, with decorators (explicit column types: tsx does not emit decorator
 * metadata). Declared per database because the column types differ. `userId` / `postId` are plain columns
 * beside their relations, as is common; the polymorphic images are a one-to-many on `imageable_id` without a
 * foreign key (TypeORM has no polymorphic relations), filtered by type where loaded.
 */
function entities(dialect: Dialect) {
  const t = TYPES[dialect]

  @Entity('bench_users')
  class User {
    @PrimaryGeneratedColumn({ type: t.id as 'bigint' }) id!: number
    @Column({ type: 'varchar' }) name!: string
    @Column({ type: 'varchar' }) email!: string
    @Column({ type: t.bool }) active!: boolean
    @Column({ type: t.int }) score!: number
    @Column({ type: t.ts, name: 'created_at', precision: dialect === 'sqlite' ? undefined : 3 }) createdAt!: Date
    @OneToOne(() => Profile, (p) => p.user, { cascade: ['insert'] }) profile?: Profile | null
    @OneToMany(() => Post, (p) => p.author, { cascade: ['insert'] }) posts?: Post[]
    postsCount?: number
    commentsCount?: number
  }

  @Entity('bench_profiles')
  class Profile {
    @PrimaryGeneratedColumn({ type: t.id as 'bigint' }) id!: number
    @Column({ type: t.big, name: 'user_id' }) userId!: number
    @Column({ type: 'varchar' }) bio!: string
    @OneToOne(() => User, (u) => u.profile) @JoinColumn({ name: 'user_id' }) user?: User
  }

  @Entity('bench_posts')
  class Post {
    @PrimaryGeneratedColumn({ type: t.id as 'bigint' }) id!: number
    @Column({ type: t.big, name: 'user_id' }) userId!: number
    @Column({ type: 'varchar' }) title!: string
    @Column({ type: 'text' }) body!: string
    @Column({ type: t.bool }) published!: boolean
    @Column({ type: t.int }) views!: number
    @Column({ type: t.ts, name: 'created_at', precision: dialect === 'sqlite' ? undefined : 3 }) createdAt!: Date
    @ManyToOne(() => User, (u) => u.posts) @JoinColumn({ name: 'user_id' }) author?: User
    @OneToMany(() => Comment, (c) => c.post, { cascade: ['insert'] }) comments?: Comment[]
    @ManyToMany(() => Tag)
    @JoinTable({ name: 'bench_post_tags', joinColumn: { name: 'post_id' }, inverseJoinColumn: { name: 'tag_id' } })
    tags?: Tag[]
    @OneToMany(() => Image, (i) => i.post) images?: Image[]
  }

  @Entity('bench_comments')
  class Comment {
    @PrimaryGeneratedColumn({ type: t.id as 'bigint' }) id!: number
    @Column({ type: t.big, name: 'post_id' }) postId!: number
    @Column({ type: 'varchar' }) body!: string
    @ManyToOne(() => Post, (p) => p.comments) @JoinColumn({ name: 'post_id' }) post?: Post
  }

  @Entity('bench_tags')
  class Tag {
    @PrimaryGeneratedColumn({ type: t.id as 'bigint' }) id!: number
    @Column({ type: 'varchar' }) name!: string
  }

  @Entity('bench_images')
  class Image {
    @PrimaryGeneratedColumn({ type: t.id as 'bigint' }) id!: number
    @Column({ type: 'varchar' }) url!: string
    @Column({ type: t.big, name: 'imageable_id' }) imageableId!: number
    @Column({ type: 'varchar', name: 'imageable_type' }) imageableType!: string
    @ManyToOne(() => Post, (p) => p.images, { createForeignKeyConstraints: false }) @JoinColumn({ name: 'imageable_id' }) post?: Post
  }

  return { User, Profile, Post, Comment, Tag, Image }
}

/**
 * TypeORM 0.3, written as its docs show: repositories' `find({ relations })` for eager loading (the default
 * 'join' relationLoadStrategy: one statement, or two with skip/take over a to-many join: the page of ids, then
 * the rows), the QueryBuilder for conditional joins, subqueries and counts, `save()` with cascades for the graph,
 * and the RelationQueryBuilder's `addAndRemove` for many-to-many links. Statements are counted through a custom
 * `logger` (BEGIN / COMMIT apart).
 */
export async function typeormPeer(dialect: Dialect, conn: PeerConnection): Promise<Peer> {
  const counter = new PeerCounter()
  const logger: Logger = {
    logQuery: (query) => counter.count(query),
    logQueryError: () => {},
    logQuerySlow: () => {},
    logSchemaBuild: () => {},
    logMigration: () => {},
    log: () => {},
  }
  const e = entities(dialect)
  const { User, Profile, Post, Comment } = e
  const common = { entities: Object.values(e), logger, synchronize: false }
  // SQLite: TypeORM opens the database through its `driver` option; given the bench's better-sqlite3 handle, it
  // uses that (the tables live in that in-memory database). It is not closed here: the target closes it.
  const shared = conn.database
  const options: DataSourceOptions =
    dialect === 'sqlite'
      ? shared
        ? { type: 'better-sqlite3', database: ':memory:', driver: function open() { return shared }, ...common }
        : { type: 'better-sqlite3', database: conn.file!, ...common }
      : dialect === 'pg'
        ? { type: 'postgres', url: conn.url, ...common }
        : { type: 'mariadb', url: conn.url, connectorPackage: 'mysql2', timezone: 'Z', ...common }
  const ds = await new DataSource(options).initialize()
  const users = ds.getRepository(User)
  const posts = ds.getRepository(Post)
  // FOR UPDATE: of the posts on PostgreSQL (which refuses it on the outer-joined tags), of every row read on MariaDB
  // (TypeORM takes no table list there); SQLite has no row locks (TypeORM refuses the option)
  const lock =
    dialect === 'sqlite' ? {}
    : dialect === 'pg' ? { lock: { mode: 'pessimistic_write' as const, tables: ['bench_posts'] } }
    : { lock: { mode: 'pessimistic_write' as const } }

  const allUsers = (take?: number, skip?: number) => users.find({ relations: { posts: { comments: true } }, order: { id: 'ASC' }, take, skip })

  return countedPeer(counter, {
    name: 'TypeORM',
    keys: 'prop',
    close: () => (shared ? Promise.resolve() : ds.destroy()),
    impl: {
      W1: (data, op) => allUsers(100, (op * 100) % (data.userIds.length - 100)),
      W2: (data, op) => posts.find({ relations: { author: true, tags: true }, order: { id: 'ASC' }, take: 500, skip: (op * 500) % (data.postIds.length - 500) }),
      W3: () =>
        users
          .createQueryBuilder('u')
          .where((qb) => {
            const hasComment = qb.subQuery().select('1').from(Comment, 'c').where('c.postId = p.id').getQuery()
            const ids = qb
              .subQuery()
              .select('p.userId')
              .from(Post, 'p')
              .where('p.published = :published')
              .andWhere(`EXISTS ${hasComment}`)
              .groupBy('p.userId')
              .having('COUNT(*) >= 5')
              .getQuery()
            return `u.id IN ${ids}`
          })
          .setParameter('published', true)
          .orderBy('u.id')
          .getMany(),
      // withCount: correlated count subqueries in the select list, read back with getRawAndEntities
      W4: async () => {
        const { entities: rows, raw } = await users
          .createQueryBuilder('u')
          .addSelect((sq) => sq.select('COUNT(*)').from(Post, 'p').where('p.userId = u.id'), 'posts_count')
          .addSelect((sq) => sq.select('COUNT(*)').from(Comment, 'c').innerJoin('c.post', 'p').where('p.userId = u.id'), 'comments_count')
          .orderBy('u.id')
          .limit(1000)
          .getRawAndEntities()
        rows.forEach((u, i) => {
          u.postsCount = Number(raw[i].posts_count)
          u.commentsCount = Number(raw[i].comments_count)
        })
        return rows
      },
      // No per-relation limit in TypeORM: every post of the 200 users, sorted newest first and cut to 3 in JS. (Ordering
      // the relation in find(), `order: { posts: { createdAt: 'DESC' } }`, puts the post columns into the DISTINCT
      // query that pages the users, which then pages (user, post) pairs: 20 users, not 200.)
      W5: async (data, op) => {
        const rows = await users.find({ relations: { posts: true }, order: { id: 'ASC' }, take: 200, skip: (op * 200) % (data.userIds.length - 200) })
        for (const u of rows) u.posts = u.posts!.sort(newestFirst).slice(0, 3)
        return rows
      },
      W8: (data, op) => users.findOne({ where: { id: data.userIds[(op * 7919) % data.userIds.length] }, relations: { profile: true } }),
      W9: (data, op) =>
        posts
          .createQueryBuilder('p')
          .leftJoinAndSelect('p.images', 'i', 'i.imageableType = :type', { type: 'posts' })
          .orderBy('p.id')
          .skip((op * 200) % (data.postIds.length - 200))
          .take(200)
          .getMany(),
      W7: (data: Dataset, op: number) =>
        ds.transaction(async (m) => {
          const ids = data.postIds.slice(0, 50)
          const current = await m.find(Post, { select: { id: true, tags: { id: true } }, where: { id: In(ids) }, relations: { tags: true }, ...lock })
          const have = new Map(current.map((p) => [Number(p.id), new Set(p.tags!.map((t) => Number(t.id)))]))
          const result = []
          for (const postId of ids) {
            const want = new Set(w7Target(data, postId, op))
            const now = have.get(postId) ?? new Set<number>()
            const detached = [...now].filter((t) => !want.has(t))
            const attached = [...want].filter((t) => !now.has(t))
            await m.createQueryBuilder().relation(Post, 'tags').of(postId).addAndRemove(attached, detached)
            result.push({ attached, detached })
          }
          return result
        }),
      // save() runs in its own transaction; cascades insert the profile, posts and comments, the tags given by id are linked
      W6: (data: Dataset, op: number) => {
        const g = graphInput(data, op)
        return users.save(
          users.create({
            name: g.name,
            email: g.email,
            active: g.active,
            score: g.score,
            createdAt: g.createdAt,
            profile: ds.getRepository(Profile).create({ bio: g.profile.bio }),
            posts: g.posts.map((p) => posts.create({ ...p, comments: p.comments.map((c) => ds.getRepository(Comment).create(c)), tags: p.tags as never })),
          }),
        )
      },
      M1: () => allUsers(),
    },
  })
}
