// The rows the relation guides (eager-loading.md, filters-and-aggregates.md, associations.md) read, on the
// schema of relationships.md#the-example-schema, which runs first and defines `db`. Spliced into those pages
// before their examples: it is not a module of its own.
//
// users      1 Ann (manager of Bob and Cid), 2 Bob, 3 Cid; profiles for Ann and Bob; roles: Ann admin, Bob editor
// posts      1 'Hello' (Ann, published, 10 views), 2 'Second' (Ann, published, 5), 3 'Draft' (Ann, 0), 4 'Notes' (Bob, published, 3)
// comments   on post 1: two (3 likes, 0 likes); on post 2: one (1 like); on post 4: one (0 likes)
// tags       1 go, 2 ts, 3 sql; post 1: go (position 0), ts (1); post 2: ts (0); post 4: sql (0); video 1: go
// images     Ann's avatar, and one of post 1
await db.users.insert({ name: 'Ann', email: 'ann@example.com' })
await db.users.insert([
  { name: 'Bob', email: 'bob@example.com', managerId: 1 },
  { name: 'Cid', email: 'cid@example.com', managerId: 1 },
])
await db.profiles.insert([{ userId: 1, bio: 'Software Developer' }, { userId: 2, bio: 'Writer', website: 'bob.example.com' }])
await db.posts.insert([
  { authorId: 1, title: 'Hello', published: true, views: 10, createdAt: new Date('2025-01-01T10:00:00Z') },
  { authorId: 1, title: 'Second', published: true, views: 5, createdAt: new Date('2025-01-02T10:00:00Z') },
  { authorId: 1, title: 'Draft', createdAt: new Date('2025-01-03T10:00:00Z') },
  { authorId: 2, title: 'Notes', published: true, views: 3, createdAt: new Date('2025-01-04T10:00:00Z') },
])
await db.comments.insert([
  { commentableId: 1, commentableType: 'post', body: 'Great', likes: 3 },
  { commentableId: 1, commentableType: 'post', body: 'Thanks', likes: 0 },
  { commentableId: 2, commentableType: 'post', body: 'More please', likes: 1 },
  { commentableId: 4, commentableType: 'post', body: 'Noted' },
])
await db.tags.insert([{ name: 'go' }, { name: 'ts' }, { name: 'sql' }])
await db.postTags.insert([
  { postId: 1, tagId: 1, position: 0 },
  { postId: 1, tagId: 2, position: 1 },
  { postId: 2, tagId: 2, position: 0 },
  { postId: 4, tagId: 3, position: 0 },
])
await db.roles.insert([{ name: 'admin' }, { name: 'editor' }])
await db.users.related({ id: 1 }, 'roles').attach(1)
await db.users.related({ id: 2 }, 'roles').attach(2)
await db.images.insert([
  { url: 'ann.png', imageableId: 1, imageableType: 'users' },
  { url: 'hello.png', imageableId: 1, imageableType: 'posts' },
])
await db.videos.insert({ title: 'Intro' })
await db.videos.related({ id: 1 }, 'tags').attach(1)
