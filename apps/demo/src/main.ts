import { inspect } from 'node:util'
import { createDb, sql, UniqueConstraintError, type LogEvent } from '@orm/core'
import { sqlite } from '@orm/sqlite'
import { schema } from './schema.js'

// Every statement the ORM sends arrives here; step() prints them under its result.
const statements: LogEvent[] = []
const db = createDb({
  schema,
  dialect: sqlite({ filename: ':memory:' }),
  log: (event) => statements.push(event),
})

/** Runs one step of the tour: prints its title, its result (or `view` of it), then the SQL it sent. */
async function step<T>(title: string, fn: () => Promise<T>, view: (result: T) => unknown = (r) => r): Promise<T> {
  statements.length = 0
  console.log(`\n=== ${title}`)
  const result = await fn()
  if (result !== undefined) console.log(show(view(result)))
  for (const s of statements) {
    const params = s.params.length ? `   -- [${s.params.map((p) => inspect(p)).join(', ')}]` : ''
    console.log(`  sql> ${s.sql.replace(/\s*\n\s*/g, ' ')}${params}${s.error ? `   !! ${s.error.name}` : ''}`)
  }
  return result
}

function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: 110, compact: 3 })
}

async function main(): Promise<void> {
  await step('Create the tables, in foreign-key order', () => db.schema.create())

  const ann = await step('Insert one row: the stored row comes back, id and timestamps filled', () =>
    db.users.insert({ name: 'Ann', email: 'ann@example.com', role: 'admin' }),
  )

  const [bob, cid] = await step('Insert many rows in one statement', () =>
    db.users.insert([
      { name: 'Bob', email: 'bob@example.com', role: 'author' },
      { name: 'Cid', email: 'cid@example.com' },
    ]),
  )

  const posts = await step('Insert posts (booleans, JSON, dates and defaults read back as JS values)', () =>
    db.posts.insert([
      { authorId: ann.id, title: 'Hello world', slug: 'hello-world', published: true, meta: { words: 120 }, publishedOn: '2025-01-15' },
      { authorId: ann.id, title: 'Draft ideas', slug: 'draft-ideas', body: 'todo' },
      { authorId: bob.id, title: 'Schemas in TypeScript', slug: 'schemas-in-ts', published: true, views: 42 },
      { authorId: bob.id, title: 'Soft deletes', slug: 'soft-deletes', published: true, views: 7 },
      { authorId: cid.id, title: 'First post', slug: 'first-post', views: 3 },
    ]),
    (rows) => ({ inserted: rows.length, first: rows[0] }),
  )

  await step('Tags, and the post_tags pivot (composite primary key)', async () => {
    const [ts, orm] = await db.tags.insert([{ name: 'typescript' }, { name: 'orm' }])
    await db.postTags.insert([
      { postId: posts[0].id, tagId: ts.id },
      { postId: posts[2].id, tagId: ts.id, position: 1 },
      { postId: posts[2].id, tagId: orm.id, position: 2 },
    ])
    return db.postTags.find({ postId: posts[2].id, tagId: orm.id })
  })

  await step('find / where / orWhere with a group / whereIn / orderBy / limit / select', async () => ({
    found: await db.users.find(bob.id),
    rows: await db.posts
      .query()
      .where('published', true)
      .orWhere((q) => q.whereIn('authorId', [cid.id]).where('views', '>', 1))
      .orderBy('views', 'desc')
      .limit(3)
      .select('id', 'title', 'views')
      .get(),
  }))

  await step('like, whereNull, whereBetween, first() (by primary key when no order is given)', async () => ({
    like: await db.posts.query().where('title', 'like', '%post%').pluck('slug'),
    noBody: await db.posts.query().whereNull('body').count(),
    between: await db.posts.query().whereBetween('views', [5, 50]).pluck('views'),
    first: await db.posts.query().where('published', false).first(),
  }))

  await step('count / exists / pluck', async () => ({
    published: await db.posts.query().where('published', true).count(),
    anyAdmin: await db.users.query().where({ role: 'admin' }).exists(),
    emails: await db.users.query().orderBy('email').pluck('email'),
  }))

  await step('paginate: page 2, two per page', () => db.posts.query().orderBy('id').select('id', 'title').paginate({ page: 2, perPage: 2 }))

  await step('cursor(): reads in batches (here 2 rows per statement)', async () => {
    const titles: string[] = []
    for await (const post of db.posts.query().select('title').cursor({ batchSize: 2 })) titles.push(post.title)
    return titles
  })

  await step('toSQL(): what a query would run, without running it', async () =>
    db.posts.query().where('title', 'ilike', 'hello%').orderBy('createdAt', 'desc').limit(5).toSQL(),
  )

  await step('upsert: insert, or update `name` where the email already exists', () =>
    db.users.upsert({ email: 'ann@example.com', name: 'Ann Lee' }, { conflict: ['email'], update: ['name'] }),
  )

  await step('update through a query, with an SQL expression: returns the matched count', () =>
    db.posts.query().where('slug', 'hello-world').update({ views: sql`views + 1` }),
  )

  await step('update by key: returns the stored row (or null)', () => db.posts.update(posts[1].id, { published: true, publishedOn: '2025-02-01' }))

  await step('Soft delete, withTrashed, onlyTrashed, restore', async () => {
    const deleted = await db.users.delete(cid.id)
    const visible = await db.users.query().count()
    const all = await db.users.query().withTrashed().count()
    const trashed = await db.users.query().onlyTrashed().pluck('name')
    const restored = await db.users.restore(cid.id)
    return { deleted, visible, all, trashed, restored, afterRestore: await db.users.query().count() }
  })

  await step('Hard delete: the pivot rows go too (ON DELETE CASCADE)', async () => {
    const deleted = await db.posts.delete(posts[0].id)
    return { deleted, pivotRowsLeft: await db.postTags.query().count() }
  })

  await step('A transaction that throws is rolled back (BEGIN and ROLLBACK show in the log)', async () => {
    let error = ''
    try {
      await db.transaction(async (tx) => {
        const dan = await tx.users.insert({ name: 'Dan', email: 'dan@example.com' })
        await tx.posts.insert({ authorId: dan.id, title: 'Never published', slug: 'never' })
        throw new Error('payment declined')
      })
    } catch (e) {
      error = (e as Error).message
    }
    return { error, danExists: await db.users.query().where('email', 'dan@example.com').exists() }
  })

  await step('Nested transaction = savepoint: the inner one fails, the outer one commits', async () => {
    await db.transaction(async (tx) => {
      await tx.tags.insert({ name: 'kept' })
      await tx
        .transaction(async (inner) => {
          await inner.tags.insert({ name: 'rolled-back' })
          throw new Error('inner failure')
        })
        .catch(() => {})
    })
    return db.tags.query().orderBy('id').pluck('name')
  })

  await step('A duplicate email is a UniqueConstraintError (never a driver-specific error)', async () => {
    try {
      await db.users.insert({ name: 'Ann again', email: 'ann@example.com' })
      return 'inserted?!'
    } catch (e) {
      if (!(e instanceof UniqueConstraintError)) throw e
      return { name: e.name, code: e.code, table: e.table, columns: e.columns, message: e.message }
    }
  })

  await relationships()

  await step('Raw SQL with the sql template: tables and columns are quoted, values bound', () =>
    db.execute(sql`select ${db.users.role} as role, count(*) as n from ${db.users} where ${db.users.email} like ${'%@example.com'} group by ${db.users.role} order by role`),
  )

  await db.close()
}

/** The relationship tour: eager loading, filters, aggregates, association writes, polymorphic images. */
async function relationships(): Promise<void> {
  const [ann] = await db.users.query().where('email', 'ann@example.com').get()
  const [first] = await db.posts.query().orderBy('id').limit(1).get()

  await step('Polymorphic images: morphOne for users, morphMany for posts (related().create sets id and type)', async () => {
    await db.users.related(ann, 'avatar').create({ url: 'ann.png' })
    await db.posts.related(first, 'images').createMany([{ url: 'cover.png' }, { url: 'diagram.png' }])
    return db.images.query().orderBy('id').with('imageable').get()
  }, (images) => images.map((i) => ({ url: i.url, type: i.imageableType, owner: (i.imageable as { name?: string; title?: string } | null)?.name ?? (i.imageable as { title?: string } | null)?.title })))

  await step('attach / sync on a belongsToMany with a pivot column', async () => {
    const tags = await db.tags.query().orderBy('id').get()
    const postTags = db.posts.related(first, 'tags')
    await postTags.attach({ [tags[0].id]: { position: 1 } })
    return postTags.sync({ [tags[0].id]: { position: 2 }, [tags[1].id]: { position: 1 } })
  })

  await step("Eager loading: with('posts.tags', 'avatar'), one statement per relation level", () =>
    db.users.query().orderBy('id').with('posts.tags', 'avatar').get(),
  (users) => users.map((u) => ({ name: u.name, avatar: u.avatar?.url ?? null, posts: u.posts.map((p) => ({ title: p.title, tags: p.tags.map((t) => `${t.name}@${String(t.pivot.position)}`) })) })))

  await step('A constrained eager load: each user with their newest published post (a per-parent limit)', () =>
    db.users.query().orderBy('id').with('posts', (q) => q.where('published', true).orderBy('createdAt', 'desc').limit(1)).get(),
  (users) => users.map((u) => ({ name: u.name, newest: u.posts[0]?.title ?? null })))

  await step('whereHas + withCount: users with a published post, and how many posts each has', () =>
    db.users.query().whereHas('posts', (q) => q.where('published', true)).withCount('posts').orderBy('postsCount', 'desc').get(),
  (users) => users.map((u) => ({ name: u.name, postsCount: u.postsCount })))

  await step('Graph create: a user with two posts and their tags (new and existing) in one transaction', async () => {
    const [existing] = await db.tags.query().orderBy('id').limit(1).get()
    return db.users.create({
      name: 'Dana',
      email: 'dana@example.com',
      role: 'author',
      posts: [
        { title: 'Graphs', slug: 'graphs', published: true, tags: [{ id: existing.id }, { name: 'graphs' }] },
        { title: 'Pivots', slug: 'pivots', tags: [{ name: 'pivots', pivot: { position: 1 } }] },
      ],
    })
  }, (dana) => ({ id: dana.id, name: dana.name, posts: dana.posts.map((p) => ({ id: p.id, title: p.title, tags: p.tags.map((t) => t.name) })) }))

  await step("join('author'): a to-one relation in the same statement", () =>
    db.posts.query().join('author').orderBy('id').limit(3).get(),
  (posts) => posts.map((p) => ({ title: p.title, author: p.author?.name ?? null })))
}

main().catch(async (error) => {
  console.error(error)
  await db.close()
  process.exitCode = 1
})
