import { describe, expectTypeOf, it } from 'vitest'
import { createDb, type QueryBuilder } from '../src/index.js'
import { result, schema, type Comment, type Flat, type Image, type Pivot, type Post, type Profile, type Role, type S, type Tag, type User, type Video } from './api-schema.js'
import { fakeDialect } from './fake-dialect.js'

/**
 * Type tests of relations (API.md sections 2 and 4): what with(), join(), load() and the aggregates add to a row,
 * and which names the compiler refuses. Checked by `tsc --noEmit -p packages/core`; nothing here connects or runs a
 * query: every call sits in a function that is never invoked.
 *
 * Result types are compared after `Flat<>` (intersections merged at every depth), so that `User & { posts: Post[] }`
 * equals what the builder produces however it is composed. toEqualTypeOf then checks them exactly: every property,
 * its type, and optional and readonly flags. (`.branded` would do the same, at several times the checking cost.)
 */

const db = createDb({ schema, dialect: fakeDialect() })

/** The flattened row type a cursor yields (the function is never called). */
const yielded = <T>(_query: () => AsyncIterable<T>): Flat<T> => undefined as never

/** Rows that are never read: the type tests only need their types. */
declare const someUsers: User[]
declare const oneUser: User

describe('with(): what eager loading adds to a row', () => {
  it('one to-many relation', () => {
    expectTypeOf(result(() => db.users.query().with('posts').get())).toEqualTypeOf<Flat<(User & { posts: Post[] })[]>>()
    expectTypeOf(result(() => db.users.query().with('posts').first())).toEqualTypeOf<Flat<(User & { posts: Post[] }) | null>>()
    expectTypeOf(result(() => db.users.query().with('posts').find(1))).toEqualTypeOf<Flat<(User & { posts: Post[] }) | null>>()
    expectTypeOf(result(() => db.users.query().with('posts').firstOrFail())).toEqualTypeOf<Flat<User & { posts: Post[] }>>()
  })

  it('several relations, in one call or in several', () => {
    type Expected = (User & { profile: Profile | null; posts: Post[] })[]
    expectTypeOf(result(() => db.users.query().with('profile', 'posts').get())).toEqualTypeOf<Flat<Expected>>()
    expectTypeOf(result(() => db.users.query().with('profile').with('posts').get())).toEqualTypeOf<Flat<Expected>>()
    expectTypeOf(result(() => db.users.query().where('name', 'Ann').with('posts').orderBy('name').with('profile').limit(3).get()))
      .toEqualTypeOf<Flat<Expected>>()
  })

  it('nested dot paths merge under their common parent; belongsToMany rows carry pivot', () => {
    expectTypeOf(result(() => db.users.query().with('posts.comments', 'posts.tags').get())).toEqualTypeOf<Flat<
      (User & { posts: (Post & { comments: Comment[]; tags: (Tag & Pivot)[] })[] })[]
    >>()
    // a path and its prefix together load the prefix once
    expectTypeOf(result(() => db.users.query().with('posts', 'posts.comments').get())).toEqualTypeOf<Flat<
      (User & { posts: (Post & { comments: Comment[] })[] })[]
    >>()
  })

  it('depth 3, across belongsTo, morphMany and morphTo', () => {
    expectTypeOf(result(() => db.users.query().with('posts.comments.commentable').get())).toEqualTypeOf<Flat<
      (User & { posts: (Post & { comments: (Comment & { commentable: Post | null })[] })[] })[]
    >>()
    expectTypeOf(result(() => db.comments.query().with('commentable.author.profile').get())).toEqualTypeOf<Flat<
      (Comment & { commentable: (Post & { author: (User & { profile: Profile | null }) | null }) | null })[]
    >>()
  })

  it('to-one relations are `Row | null`: hasOne, belongsTo (self-referential too), morphOne, hasOneThrough', () => {
    expectTypeOf(result(() => db.users.query().with('profile', 'manager', 'avatar', 'firstComment').get())).toEqualTypeOf<Flat<
      (User & { profile: Profile | null; manager: User | null; avatar: Image | null; firstComment: Comment | null })[]
    >>()
    expectTypeOf(result(() => db.profiles.query().with('user').get())).toEqualTypeOf<Flat<(Profile & { user: User | null })[]>>()
  })

  it('to-many relations are arrays: hasMany, morphMany, hasManyThrough; pivot kinds add `pivot`', () => {
    expectTypeOf(result(() => db.users.query().with('reports', 'images', 'comments', 'roles').get())).toEqualTypeOf<Flat<
      (User & { reports: User[]; images: Image[]; comments: Comment[]; roles: (Role & Pivot)[] })[]
    >>()
    expectTypeOf(result(() => db.tags.query().with('posts', 'videos').get())).toEqualTypeOf<Flat<
      (Tag & { posts: (Post & Pivot)[]; videos: (Video & Pivot)[] })[]
    >>()
    expectTypeOf(result(() => db.videos.query().with('tags').get())).toEqualTypeOf<Flat<(Video & { tags: (Tag & Pivot)[] })[]>>()
  })

  it('morphTo loads a union of its target row types', () => {
    expectTypeOf(result(() => db.images.query().with('imageable').get())).toEqualTypeOf<Flat<(Image & { imageable: User | Post | null })[]>>()
    // a path through a morphTo continues with the relations every target has (users.comments and posts.comments)
    expectTypeOf(result(() => db.images.query().with('imageable.comments').get())).toEqualTypeOf<Flat<
      (Image & { imageable: (User & { comments: Comment[] }) | (Post & { comments: Comment[] }) | null })[]
    >>()
  })

  it("'*' loads every relation of its level, alone, with others, or after a dot", () => {
    type AllOfPost = { author: User | null; comments: Comment[]; tags: (Tag & Pivot)[] }
    expectTypeOf(result(() => db.posts.query().with('*').get())).toEqualTypeOf<Flat<(Post & AllOfPost)[]>>()
    expectTypeOf(result(() => db.posts.query().with('*', 'author.profile').get())).toEqualTypeOf<Flat<
      (Post & { author: (User & { profile: Profile | null }) | null; comments: Comment[]; tags: (Tag & Pivot)[] })[]
    >>()
    expectTypeOf(result(() => db.users.query().with('posts.*').get())).toEqualTypeOf<Flat<(User & { posts: (Post & AllOfPost)[] })[]>>()
    expectTypeOf(result(() => db.users.query().with('*').get())).toEqualTypeOf<Flat<
      (User & {
        profile: Profile | null; posts: Post[]; manager: User | null; reports: User[]; roles: (Role & Pivot)[]
        images: Image[]; avatar: Image | null; comments: Comment[]; firstComment: Comment | null
      })[]
    >>()
  })

  it('a constraint callback gets a builder over the relation target', () => {
    const fn = () =>
      db.users.query().with('posts', (q) => {
        expectTypeOf(q).toEqualTypeOf<QueryBuilder<S, 'posts'>>()
        return q.where('published', true).orderBy('createdAt', 'desc').limit(5)
      })
    expectTypeOf(fn).returns.toHaveProperty('get')
    expectTypeOf(result(() => fn().get())).toEqualTypeOf<Flat<(User & { posts: Post[] })[]>>()
    // the builder of the last segment of a dot path
    db.users.query().with('posts.comments', (q) => {
      expectTypeOf(q).toEqualTypeOf<QueryBuilder<S, 'comments'>>()
      return q
    })
    db.posts.query().with('tags', (q) => q.wherePivot('position', '<', 3).orderByPivot('position'))
  })

  it("select() in a constraint narrows the loaded rows (the keys it needs are the loader's business)", () => {
    expectTypeOf(result(() => db.users.query().with('profile', (q) => q.select('id', 'bio')).get())).toEqualTypeOf<Flat<
      (User & { profile: { id: number; bio: string } | null })[]
    >>()
    expectTypeOf(result(() => db.users.query().with('posts.comments', (q) => q.select('body')).get())).toEqualTypeOf<Flat<
      (User & { posts: (Post & { comments: { body: string }[] })[] })[]
    >>()
    // a constrained path and a deeper plain path under it
    expectTypeOf(result(() => db.users.query().with('posts', (q) => q.select('id', 'title')).with('posts.tags').get())).toEqualTypeOf<Flat<
      (User & { posts: ({ id: number; title: string } & { tags: (Tag & Pivot)[] })[] })[]
    >>()
  })

  it('with() inside a constraint nests', () => {
    expectTypeOf(result(() => db.users.query().with('posts', (q) => q.with('tags').where('published', true)).get())).toEqualTypeOf<Flat<
      (User & { posts: (Post & { tags: (Tag & Pivot)[] })[] })[]
    >>()
  })

  it('select() on the outer query keeps what with() loads', () => {
    expectTypeOf(result(() => db.users.query().select('id', 'name').with('posts').get())).toEqualTypeOf<Flat<
      ({ id: number; name: string } & { posts: Post[] })[]
    >>()
  })

  it('paginate and cursor carry the loaded relations', () => {
    expectTypeOf(result(() => db.users.query().with('posts').paginate())).toHaveProperty('data').toEqualTypeOf<Flat<(User & { posts: Post[] })[]>>()
    expectTypeOf(yielded(() => db.users.query().with('profile').cursor())).toEqualTypeOf<Flat<User & { profile: Profile | null }>>()
  })
})

describe('join(): a to-one relation in the same statement', () => {
  it('adds the relation as `Row | null`', () => {
    expectTypeOf(result(() => db.posts.query().join('author').get())).toEqualTypeOf<Flat<(Post & { author: User | null })[]>>()
    expectTypeOf(result(() => db.users.query().join('profile').join('avatar').get())).toEqualTypeOf<Flat<
      (User & { profile: Profile | null; avatar: Image | null })[]
    >>()
    expectTypeOf(result(() => db.posts.query().join('author').with('tags').get())).toEqualTypeOf<Flat<
      (Post & { author: User | null } & { tags: (Tag & Pivot)[] })[]
    >>()
  })
})

describe('load() and loadMissing(): rows already fetched', () => {
  it('type the rows with what was loaded', () => {
    expectTypeOf(result(() => db.users.load(someUsers, 'posts'))).toEqualTypeOf<Flat<(User & { posts: Post[] })[]>>()
    expectTypeOf(result(() => db.users.load(oneUser, 'profile', 'posts.comments'))).toEqualTypeOf<Flat<
      (User & { profile: Profile | null; posts: (Post & { comments: Comment[] })[] })[]
    >>()
    expectTypeOf(result(() => db.users.loadMissing(someUsers, 'posts.tags'))).toEqualTypeOf<Flat<
      (User & { posts: (Post & { tags: (Tag & Pivot)[] })[] })[]
    >>()
  })

  it('keep what the rows already had', () => {
    const fn = async () => {
      const rows = await db.users.query().withCount('posts').get()
      return db.users.load(rows, 'profile')
    }
    expectTypeOf(result(fn)).toEqualTypeOf<Flat<(User & { postsCount: number } & { profile: Profile | null })[]>>()
  })
})

describe('aggregates', () => {
  it('withCount: `<relation>Count: number`, one or several', () => {
    expectTypeOf(result(() => db.users.query().withCount('posts').get())).toEqualTypeOf<Flat<(User & { postsCount: number })[]>>()
    expectTypeOf(result(() => db.users.query().withCount('posts', 'comments').get())).toEqualTypeOf<Flat<
      (User & { postsCount: number; commentsCount: number })[]
    >>()
  })

  it('withCount with a constraint, and `as`', () => {
    expectTypeOf(result(() => db.users.query().withCount('posts', (q) => q.where('published', true), { as: 'publishedPostsCount' }).get()))
      .toEqualTypeOf<Flat<(User & { publishedPostsCount: number })[]>>()
    expectTypeOf(result(() => db.users.query().withCount('posts', (q) => q.where('published', true)).get()))
      .toEqualTypeOf<Flat<(User & { postsCount: number })[]>>()
    db.users.query().withCount('posts', (q) => {
      expectTypeOf(q).toEqualTypeOf<QueryBuilder<S, 'posts'>>()
      return q
    })
  })

  it('withExists: `<relation>Exists: boolean`', () => {
    expectTypeOf(result(() => db.users.query().withExists('posts', 'roles').get())).toEqualTypeOf<Flat<
      (User & { postsExists: boolean; rolesExists: boolean })[]
    >>()
    expectTypeOf(result(() => db.users.query().withExists('posts', (q) => q.where('published', true), { as: 'hasPublished' }).get()))
      .toEqualTypeOf<Flat<(User & { hasPublished: boolean })[]>>()
  })

  it('withSum / withAvg / withMin / withMax: `<relation><Fn><Column>`', () => {
    expectTypeOf(result(() => db.users.query().withSum('posts', 'views').get())).toEqualTypeOf<Flat<(User & { postsSumViews: number | null })[]>>()
    expectTypeOf(result(() => db.users.query().withAvg('posts', 'views').get())).toEqualTypeOf<Flat<(User & { postsAvgViews: number | null })[]>>()
    // min and max keep the column's type
    expectTypeOf(result(() => db.users.query().withMin('posts', 'createdAt').withMax('posts', 'views').get())).toEqualTypeOf<Flat<
      (User & { postsMinCreatedAt: Date | null } & { postsMaxViews: number | null })[]
    >>()
    expectTypeOf(result(() => db.users.query().withSum('posts', 'views', (q) => q.where('published', true), { as: 'publishedViews' }).get()))
      .toEqualTypeOf<Flat<(User & { publishedViews: number | null })[]>>()
  })

  it('an aggregate name works in where and orderBy once it is added', () => {
    db.users.query().withCount('posts').where('postsCount', '>=', 3)
    db.users.query().withCount('posts').where('postsCount', 3)
    db.users.query().withCount('posts').orderBy('postsCount', 'desc')
    db.users.query().withCount('posts').orWhere('postsCount', '<', 1).orderBy('postsCount')
    db.users.query().withCount('posts', (q) => q.where('published', true), { as: 'publishedPostsCount' }).where('publishedPostsCount', '>', 0).orderBy('publishedPostsCount')
    db.users.query().withSum('posts', 'views').orderBy('postsSumViews', 'desc').where('postsSumViews', '>', 10)
    // aggregates and eager loads together
    expectTypeOf(result(() => db.users.query().withCount('posts').with('profile').where('postsCount', '>=', 3).get())).toEqualTypeOf<Flat<
      (User & { postsCount: number } & { profile: Profile | null })[]
    >>()
  })

  it('select() keeps the aggregates', () => {
    expectTypeOf(result(() => db.users.query().withCount('posts').select('id').get())).toEqualTypeOf<Flat<({ id: number } & { postsCount: number })[]>>()
  })
})

describe('relation filters', () => {
  it('has / whereHas / doesntHave and the or-forms take relation names and dot paths', () => {
    db.users.query().has('posts')
    db.users.query().has('posts', '>', 5)
    db.users.query().has('posts.comments')
    db.users.query().has('posts.comments', '>=', 2)
    db.users.query().doesntHave('posts').orDoesntHave('profile').orHas('roles')
    db.users.query().whereHas('posts', (q) => q.where('published', true), '>=', 2)
    db.users.query().whereDoesntHave('posts', (q) => q.where('published', true)).orWhereHas('profile').orWhereDoesntHave('roles')
    db.images.query().has('imageable')
    // filters do not change the row type
    expectTypeOf(() => db.users.query().has('posts').whereHas('profile').get()).returns.resolves.toEqualTypeOf<User[]>()
  })

  it('the callback queries the last relation of the path', () => {
    db.users.query().whereHas('posts', (q) => {
      expectTypeOf(q).toEqualTypeOf<QueryBuilder<S, 'posts'>>()
      return q.whereHas('tags', (t) => t.where('name', 'golang'))
    })
    db.users.query().whereHas('posts.comments', (q) => {
      expectTypeOf(q).toEqualTypeOf<QueryBuilder<S, 'comments'>>()
      return q.where('likes', '>', 1)
    })
    db.posts.query().whereHas('tags', (q) => q.wherePivot('position', 0))
  })
})

describe('what the compiler refuses', () => {
  it('unknown relations and path segments', () => {
    const refused = () => {
      // @ts-expect-error misspelt relation
      db.users.query().with('postz')
      // @ts-expect-error misspelt dot path segment
      db.users.query().with('posts.comentz')
      // @ts-expect-error misspelt segment at depth 3
      db.users.query().with('posts.comments.commentablez')
      // @ts-expect-error one bad name among good ones
      db.users.query().with('posts', 'profil')
      // @ts-expect-error a relation of another table (posts.author)
      db.users.query().with('author')
      // @ts-expect-error a relation of another table, one level down (users.profile from posts)
      db.users.query().with('posts.profile')
      // @ts-expect-error a column is not a relation
      db.users.query().with('name')
      // @ts-expect-error a path through a morphTo needs a relation every target has (posts.tags: users has no tags)
      db.images.query().with('imageable.tags')
      // @ts-expect-error load() checks paths too
      db.users.load(someUsers, 'postz')
      // @ts-expect-error loadMissing() too
      db.users.loadMissing(someUsers, 'posts.comentz')
      // @ts-expect-error has() checks its path
      db.users.query().has('postz')
      // @ts-expect-error whereHas() checks every segment
      db.users.query().whereHas('posts.tagz')
      // @ts-expect-error doesntHave() too
      db.users.query().doesntHave('author')
    }
    expectTypeOf(refused).toBeFunction()
  })

  it('join() only takes to-one relations', () => {
    const refused = () => {
      // @ts-expect-error to-many
      db.users.query().join('posts')
      // @ts-expect-error belongsToMany
      db.posts.query().join('tags')
      // @ts-expect-error morphTo has several target tables
      db.images.query().join('imageable')
      // @ts-expect-error hasOneThrough needs a second table
      db.users.query().join('firstComment')
      // @ts-expect-error a relation of another table
      db.users.query().join('author')
    }
    expectTypeOf(refused).toBeFunction()
  })

  it('aggregates check relation and column names', () => {
    const refused = () => {
      // @ts-expect-error not a column of posts
      db.users.query().withSum('posts', 'nope')
      // @ts-expect-error a column of users, not of posts
      db.users.query().withMax('posts', 'email')
      // @ts-expect-error misspelt relation
      db.users.query().withCount('postz')
      // @ts-expect-error aggregates take relation names, not dot paths
      db.users.query().withCount('posts.comments')
      // @ts-expect-error a relation of another table
      db.users.query().withExists('author')
    }
    expectTypeOf(refused).toBeFunction()
  })

  it('an aggregate name only exists after the aggregate is added', () => {
    const refused = () => {
      // @ts-expect-error no withCount('posts') yet
      db.users.query().where('postsCount', '>=', 3)
      // @ts-expect-error no withCount('posts') yet
      db.users.query().orderBy('postsCount')
      // @ts-expect-error the `as` name replaces the default one
      db.users.query().withCount('posts', (q) => q, { as: 'n' }).orderBy('postsCount')
    }
    expectTypeOf(refused).toBeFunction()
  })

  it('constraint callbacks check the target columns', () => {
    const refused = () => {
      // @ts-expect-error title is a column of posts, not of comments
      db.users.query().with('posts.comments', (q) => q.where('title', 'x'))
      // @ts-expect-error select() of a column profiles does not have
      db.users.query().with('profile', (q) => q.select('title'))
      // @ts-expect-error whereHas callback: name is not a column of posts
      db.users.query().whereHas('posts', (q) => q.where('name', 'x'))
      // @ts-expect-error withCount callback: checked like any query of posts
      db.users.query().withCount('posts', (q) => q.where('published', 'yes'))
    }
    expectTypeOf(refused).toBeFunction()
  })

  it('the loaded relations are not there before with()', () => {
    const fn = async () => {
      const [user] = await db.users.query().get()
      // @ts-expect-error posts was not loaded
      return user.posts
    }
    expectTypeOf(fn).toBeFunction()
  })
})
