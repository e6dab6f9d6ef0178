import { describe, expect, expectTypeOf, it } from 'vitest'
import { col, defineSchema, SchemaError, table, type AnyTable, type RelationDef, type RelationsInput, type ResolvedRelation } from '../src/index.js'
import { images, posts, roles, schema, users } from './api-schema.js'

/**
 * Resolved relations as plain data: a column is "prop:column_name", a table meta "<table name>", a Map an object,
 * so each expectation reads like the relation it checks.
 */
function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]))
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') {
    const named = value as { name?: string }
    if ('prop' in value && 'config' in value) return `${value.prop}:${named.name}`
    if ('byProp' in value) return `<${named.name}>`
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]))
  }
  return value
}

const rel = (tableKey: string, name: string) => plain(schema.meta.relations.get(tableKey)?.get(name))
const base = (table: string, name: string, many: boolean) => ({ table, name, many })

describe('relations of the API.md example', () => {
  it('hasOne / hasMany: the child key by convention or option, the parent primary key', () => {
    expect(rel('users', 'profile')).toEqual({
      kind: 'hasOne', ...base('users', 'profile', false), target: 'profiles', localKey: ['id:id'], foreignKey: ['userId:user_id'],
    })
    expect(rel('users', 'posts')).toEqual({
      kind: 'hasMany', ...base('users', 'posts', true), target: 'posts', localKey: ['id:id'], foreignKey: ['authorId:author_id'],
    })
  })

  it('self-referential belongsTo and hasMany', () => {
    expect(rel('users', 'manager')).toEqual({
      kind: 'belongsTo', ...base('users', 'manager', false), target: 'users', foreignKey: ['managerId:manager_id'], ownerKey: ['id:id'],
    })
    expect(rel('users', 'reports')).toEqual({
      kind: 'hasMany', ...base('users', 'reports', true), target: 'users', localKey: ['id:id'], foreignKey: ['managerId:manager_id'],
    })
  })

  it('belongsTo by option and by convention (`<relation name>Id`)', () => {
    expect(rel('posts', 'author')).toMatchObject({ foreignKey: ['authorId:author_id'], ownerKey: ['id:id'], target: 'users' })
    expect(rel('profiles', 'user')).toMatchObject({ foreignKey: ['userId:user_id'], ownerKey: ['id:id'], target: 'users' })
  })

  it('belongsToMany through a schema pivot, with pivot columns', () => {
    expect(rel('posts', 'tags')).toEqual({
      kind: 'belongsToMany', ...base('posts', 'tags', true), target: 'tags',
      pivot: { table: 'postTags', meta: '<post_tags>', virtual: false },
      parentKey: ['id:id'], pivotForeignKey: ['postId:post_id'], pivotRelatedKey: ['tagId:tag_id'], relatedKey: ['id:id'],
      pivotColumns: ['position:position'],
    })
    expect(rel('tags', 'posts')).toMatchObject({
      pivot: { table: 'postTags', virtual: false }, pivotForeignKey: ['tagId:tag_id'], pivotRelatedKey: ['postId:post_id'], pivotColumns: [],
    })
  })

  it('belongsToMany through a pivot only the relations name (role_user), shared by both sides', () => {
    expect(rel('users', 'roles')).toEqual({
      kind: 'belongsToMany', ...base('users', 'roles', true), target: 'roles',
      pivot: { table: 'role_user', meta: '<role_user>', virtual: true },
      parentKey: ['id:id'], pivotForeignKey: ['userId:user_id'], pivotRelatedKey: ['roleId:role_id'], relatedKey: ['id:id'],
      pivotColumns: [],
    })
    expect(rel('roles', 'users')).toMatchObject({ pivot: { table: 'role_user', virtual: true }, pivotForeignKey: ['roleId:role_id'], pivotRelatedKey: ['userId:user_id'] })
    expect(schema.meta.relations.get('roles')!.get('users')).toMatchObject({ pivot: { meta: schema.meta.virtualTables.get('role_user') } })
  })

  it('synthesizes the virtual pivot tables: key columns typed like the keys, a composite primary key, foreign keys', () => {
    expect([...schema.meta.virtualTables.keys()]).toEqual(['role_user', 'taggables'])
    const roleUser = schema.meta.virtualTables.get('role_user')!
    expect(roleUser.columns.map((c) => [c.prop, c.name, c.kind, c.config.nullable])).toEqual([
      ['userId', 'user_id', 'bigint', false],
      ['roleId', 'role_id', 'bigint', false],
    ])
    expect(roleUser.primaryKey).toEqual(['userId', 'roleId'])
    const ref = roleUser.byProp.get('userId')!.config.references!
    expect(ref.target()).toMatchObject({ table: { $name: 'users' }, prop: 'id', name: 'id' })
    expect(ref.onDelete).toBe('cascade')

    const taggables = schema.meta.virtualTables.get('taggables')!
    expect(taggables.columns.map((c) => [c.prop, c.name, c.kind])).toEqual([
      ['taggableId', 'taggable_id', 'bigint'],
      ['taggableType', 'taggable_type', 'string'],
      ['tagId', 'tag_id', 'bigint'],
    ])
    expect(taggables.primaryKey).toEqual(['taggableId', 'taggableType', 'tagId'])
    expect(taggables.byProp.get('taggableId')!.config.references).toBeUndefined() // polymorphic: no foreign key
    expect(taggables.byProp.get('tagId')!.config.references!.target().table.$name).toBe('tags')
    // Virtual tables are not schema tables: db.<key> never sees them.
    expect(schema.meta.tables.has('role_user')).toBe(false)
  })

  it('morphMany / morphOne: `<morph>Id` and `<morph>Type` on the child, morphValue default the table key', () => {
    expect(rel('users', 'images')).toEqual({
      kind: 'morphMany', ...base('users', 'images', true), target: 'images', morph: 'imageable',
      localKey: ['id:id'], foreignKey: ['imageableId:imageable_id'], morphType: 'imageableType:imageable_type', morphValue: 'users',
    })
    expect(rel('users', 'avatar')).toMatchObject({ kind: 'morphOne', many: false, morphValue: 'users' })
    expect(rel('posts', 'comments')).toMatchObject({
      foreignKey: ['commentableId:commentable_id'], morphType: 'commentableType:commentable_type', morphValue: 'post',
    })
  })

  it('morphTo: its types, each with the target primary key; morph defaults to the relation name', () => {
    expect(rel('images', 'imageable')).toEqual({
      kind: 'morphTo', ...base('images', 'imageable', false), targets: ['users', 'posts'], morph: 'imageable',
      foreignKey: ['imageableId:imageable_id'], morphType: 'imageableType:imageable_type',
      types: { users: { target: 'users', ownerKey: ['id:id'] }, posts: { target: 'posts', ownerKey: ['id:id'] } },
      morphValues: { users: 'users', posts: 'posts' },
    })
    expect(rel('comments', 'commentable')).toMatchObject({ morph: 'commentable', targets: ['posts'], morphValues: { posts: 'post' } })
  })

  it('morphToMany and morphedByMany share the pivot `<plural morph>`', () => {
    const pivot = { table: 'taggables', meta: '<taggables>', virtual: true }
    expect(rel('videos', 'tags')).toEqual({
      kind: 'morphToMany', ...base('videos', 'tags', true), target: 'tags', pivot, morph: 'taggable',
      parentKey: ['id:id'], pivotForeignKey: ['taggableId:taggable_id'], pivotRelatedKey: ['tagId:tag_id'], relatedKey: ['id:id'],
      pivotColumns: [], morphType: 'taggableType:taggable_type', morphValue: 'videos',
    })
    expect(rel('tags', 'videos')).toEqual({
      kind: 'morphedByMany', ...base('tags', 'videos', true), target: 'videos', pivot, morph: 'taggable',
      parentKey: ['id:id'], pivotForeignKey: ['tagId:tag_id'], pivotRelatedKey: ['taggableId:taggable_id'], relatedKey: ['id:id'],
      pivotColumns: [], morphType: 'taggableType:taggable_type', morphValue: 'videos',
    })
  })

  it('hasManyThrough takes each hop from the declared relation when the convention column is missing', () => {
    // posts has no userId (users.posts uses authorId) and comments no postId (posts.comments is a morph).
    expect(rel('users', 'comments')).toEqual({
      kind: 'hasManyThrough', ...base('users', 'comments', true), target: 'comments', through: 'posts',
      localKey: ['id:id'], firstKey: ['authorId:author_id'],
      secondLocalKey: ['id:id'], secondKey: ['commentableId:commentable_id'],
      secondMorph: { morphType: 'commentableType:commentable_type', morphValue: 'post' },
    })
    expect(rel('users', 'firstComment')).toEqual({
      kind: 'hasOneThrough', ...base('users', 'firstComment', false), target: 'comments', through: 'posts',
      localKey: ['id:id'], firstKey: ['authorId:author_id'],
      secondLocalKey: ['id:id'], secondKey: ['commentableId:commentable_id'],
      secondMorph: { morphType: 'commentableType:commentable_type', morphValue: 'post' },
    })
  })

  it('keeps every table key (with its relations in the order written) and freezes what it resolved', () => {
    expect([...schema.meta.relations.keys()]).toEqual(['users', 'profiles', 'posts', 'comments', 'tags', 'postTags', 'roles', 'images', 'videos'])
    expect([...schema.meta.relations.get('users')!.keys()]).toEqual(['profile', 'posts', 'manager', 'reports', 'roles', 'images', 'avatar', 'comments', 'firstComment'])
    expect(schema.meta.relations.get('postTags')!.size).toBe(0)
    expect(Object.isFrozen(schema.relations.users.posts)).toBe(true)
    expect(Object.isFrozen(schema.relations.users.posts.options)).toBe(true)
    expect(Object.isFrozen(schema.meta.relations.get('users')!.get('posts'))).toBe(true)
  })

  it('without relations: an empty map per table and no virtual tables', () => {
    const s = defineSchema({ users, posts })
    expect([...s.meta.relations.values()].map((m) => m.size)).toEqual([0, 0])
    expect(s.meta.virtualTables.size).toBe(0)
  })
})

describe('conventions', () => {
  const countries = table('countries', { id: col.id(), name: col.string() })
  const members = table('members', { id: col.id(), countryId: col.bigint(), name: col.string() })
  const articles = table('articles', { id: col.id(), memberId: col.bigint(), writerId: col.bigint(), title: col.string() })
  const labels = table('labels', { id: col.id(), name: col.string() })

  it('belongsTo looks for `<relation name>Id` first, then `<singular related>Id`', () => {
    const s = defineSchema({ members, articles }, (r) => ({
      articles: { writer: r.belongsTo('members'), owner: r.belongsTo('members') },
    }))
    expect(plain(s.meta.relations.get('articles')!.get('writer'))).toMatchObject({ foreignKey: ['writerId:writer_id'] })
    expect(plain(s.meta.relations.get('articles')!.get('owner'))).toMatchObject({ foreignKey: ['memberId:member_id'] })
  })

  it('hasMany: `<singular parent>Id` on the child', () => {
    const s = defineSchema({ members, articles }, (r) => ({ members: { articles: r.hasMany('articles') } }))
    expect(plain(s.meta.relations.get('members')!.get('articles'))).toMatchObject({ foreignKey: ['memberId:member_id'], localKey: ['id:id'] })
  })

  it('belongsToMany: default pivot `<a>_<b>` (singular, snake_case, alphabetical), made when not in the schema', () => {
    const s = defineSchema({ articles, labels }, (r) => ({ labels: { articles: r.belongsToMany('articles') } }))
    expect(plain(s.meta.relations.get('labels')!.get('articles'))).toMatchObject({
      pivot: { table: 'article_label', virtual: true }, pivotForeignKey: ['labelId:label_id'], pivotRelatedKey: ['articleId:article_id'],
    })
    expect(s.meta.virtualTables.get('article_label')!.columns.map((c) => c.name)).toEqual(['label_id', 'article_id'])
  })

  it('belongsToMany: the default pivot name finds a schema table by name or by key', () => {
    const byName = table('article_label', { articleId: col.bigint(), labelId: col.bigint(), note: col.string() })
    const s = defineSchema({ articles, labels, articleLabels: byName }, (r) => ({
      articles: { labels: r.belongsToMany('labels', { pivotColumns: ['note'] }) },
    }))
    expect(plain(s.meta.relations.get('articles')!.get('labels'))).toMatchObject({
      pivot: { table: 'articleLabels', virtual: false }, pivotColumns: ['note:note'],
    })
    expect(s.meta.virtualTables.size).toBe(0)
    const s2 = defineSchema({ articles, labels, article_label: byName }, (r) => ({ labels: { articles: r.belongsToMany('articles') } }))
    expect(plain(s2.meta.relations.get('labels')!.get('articles'))).toMatchObject({ pivot: { table: 'article_label', virtual: false } })
  })

  it('a virtual pivot copies the kind of a non-integer key (uuid)', () => {
    const docs = table('docs', { id: col.uuid().primaryKey(), title: col.string() })
    const s = defineSchema({ docs, labels }, (r) => ({ docs: { labels: r.belongsToMany('labels') } }))
    expect(s.meta.virtualTables.get('doc_label')!.columns.map((c) => [c.prop, c.kind])).toEqual([['docId', 'uuid'], ['labelId', 'bigint']])
  })

  it('self-referential belongsToMany names its pivot keys', () => {
    const s = defineSchema({ members }, (r) => ({
      members: { friends: r.belongsToMany('members', { pivot: 'friendships', pivotForeignKey: 'memberId', pivotRelatedKey: 'friendId' }) },
    }))
    expect(plain(s.meta.relations.get('members')!.get('friends'))).toMatchObject({
      target: 'members', pivot: { table: 'friendships', virtual: true },
      parentKey: ['id:id'], pivotForeignKey: ['memberId:member_id'], pivotRelatedKey: ['friendId:friend_id'], relatedKey: ['id:id'],
    })
    expect(() => defineSchema({ members }, (r) => ({ members: { friends: r.belongsToMany('members') } }))).toThrow(
      'Relation members.friends (belongsToMany -> members): pivot foreign key and pivot related key are both "memberId"; ' +
        'name them with pivotForeignKey and pivotRelatedKey.',
    )
  })

  it('hasManyThrough / hasOneThrough: `<singular parent>Id` on through, `<singular through>Id` on the target', () => {
    const s = defineSchema({ countries, members, articles }, (r) => ({
      countries: { articles: r.hasManyThrough('articles', { through: 'members' }), firstArticle: r.hasOneThrough('articles', { through: 'members' }) },
    }))
    const expected = {
      target: 'articles', through: 'members', localKey: ['id:id'], firstKey: ['countryId:country_id'],
      secondLocalKey: ['id:id'], secondKey: ['memberId:member_id'],
    }
    expect(plain(s.meta.relations.get('countries')!.get('articles'))).toEqual({ kind: 'hasManyThrough', ...base('countries', 'articles', true), ...expected })
    expect(plain(s.meta.relations.get('countries')!.get('firstArticle'))).toEqual({ kind: 'hasOneThrough', ...base('countries', 'firstArticle', false), ...expected })
  })

  it('through: options name each key', () => {
    const s = defineSchema({ countries, members, articles }, (r) => ({
      countries: { articles: r.hasManyThrough('articles', { through: 'members', throughForeignKey: 'countryId', foreignKey: 'writerId', localKey: 'id', throughLocalKey: 'id' }) },
    }))
    expect(plain(s.meta.relations.get('countries')!.get('articles'))).toMatchObject({ firstKey: ['countryId:country_id'], secondKey: ['writerId:writer_id'] })
  })
})

describe('composite keys', () => {
  const orders = table('orders', { tenantId: col.integer(), number: col.integer(), total: col.integer() }, { primaryKey: ['tenantId', 'number'] })
  const lines = table('order_lines', { id: col.id(), tenantId: col.integer(), orderNumber: col.integer(), sku: col.string() })

  it('pair up in order on both sides', () => {
    const s = defineSchema({ orders, lines }, (r) => ({
      orders: { lines: r.hasMany('lines', { foreignKey: ['tenantId', 'orderNumber'] }) },
      lines: { order: r.belongsTo('orders', { foreignKey: ['tenantId', 'orderNumber'] }) },
    }))
    expect(plain(s.meta.relations.get('orders')!.get('lines'))).toMatchObject({
      localKey: ['tenantId:tenant_id', 'number:number'], foreignKey: ['tenantId:tenant_id', 'orderNumber:order_number'],
    })
    expect(plain(s.meta.relations.get('lines')!.get('order'))).toMatchObject({
      foreignKey: ['tenantId:tenant_id', 'orderNumber:order_number'], ownerKey: ['tenantId:tenant_id', 'number:number'],
    })
  })

  it('make a virtual pivot with one column per key column', () => {
    const labels = table('labels', { id: col.id() })
    const s = defineSchema({ orders, labels }, (r) => ({
      orders: { labels: r.belongsToMany('labels', { pivotForeignKey: ['orderTenantId', 'orderNumber'] }) },
    }))
    const pivot = s.meta.virtualTables.get('label_order')!
    expect(pivot.columns.map((c) => [c.prop, c.kind])).toEqual([['orderTenantId', 'integer'], ['orderNumber', 'integer'], ['labelId', 'bigint']])
    expect(pivot.byProp.get('orderNumber')!.config.references!.target()).toMatchObject({ table: { $name: 'orders' }, prop: 'number' })
  })

  it('of different lengths are an error', () => {
    expect(() => defineSchema({ orders, lines }, (r) => ({ orders: { lines: r.hasMany('lines', { foreignKey: 'orderNumber' }) } }))).toThrow(
      'Relation orders.lines (hasMany -> lines): foreign key ("orderNumber") has 1 column but local key ("tenantId", "number") has 2; ' +
        'give both as arrays of the same length.',
    )
  })
})

describe('definition errors name the relation, the key looked for and the columns found', () => {
  const define = (tables: Record<string, AnyTable>, relations: (r: any) => RelationsInput) => () => defineSchema(tables, relations as never)
  const u = table('users', { id: col.id(), name: col.string() })
  const p = table('posts', { id: col.id(), authorId: col.bigint(), title: col.string() })

  it('a conventional key that is missing', () => {
    const run = define({ users: u, posts: p }, (r) => ({ users: { posts: r.hasMany('posts') } }))
    expect(run).toThrow(SchemaError)
    expect(run).toThrow('Relation users.posts (hasMany -> posts): foreign key "userId" not found on posts. Columns: id, authorId, title.')
  })

  it('belongsTo names both conventions it tried', () => {
    expect(define({ users: u, posts: p }, (r) => ({ posts: { writer: r.belongsTo('users') } }))).toThrow(
      'Relation posts.writer (belongsTo -> users): foreign key "writerId" or "userId" not found on posts. Columns: id, authorId, title.',
    )
  })

  it('a key given in the options that is missing', () => {
    expect(define({ users: u, posts: p }, (r) => ({ posts: { author: r.belongsTo('users', { ownerKey: 'uuid' }) } }))).toThrow(
      'Relation posts.author (belongsTo -> users): owner key "uuid" not found on users. Columns: id, name.',
    )
  })

  it('a table with no primary key to default to', () => {
    const log = table('log', { userId: col.bigint(), line: col.string() })
    expect(define({ users: u, log }, (r) => ({ users: { log: r.belongsTo('log', { foreignKey: 'id' }) } }))).toThrow(
      'Relation users.log (belongsTo -> log): owner key: log has no primary key; name the key in the options.',
    )
  })

  it('an unknown target table key, listing the valid ones', () => {
    expect(define({ users: u, posts: p }, (r) => ({ users: { posts: r.hasMany('post') } }))).toThrow(
      'Relation users.posts (hasMany -> post): unknown table key "post". Table keys: users, posts.',
    )
    expect(define({ users: u, posts: p }, (r) => ({ users: { x: r.hasManyThrough('posts', { through: 'postz' }) } }))).toThrow(
      'Relation users.x (hasManyThrough -> posts through postz): unknown through table key "postz". Table keys: users, posts.',
    )
  })

  it('a relation named like a column of its table', () => {
    expect(define({ users: u, posts: p }, (r) => ({ users: { name: r.hasMany('posts', { foreignKey: 'authorId' }) } }))).toThrow(
      'Relation users.name (hasMany -> posts): "name" is already a column of users; give the relation another name.',
    )
  })

  it('relations for a table key that is not in the schema', () => {
    expect(define({ users: u, posts: p }, (r) => ({ user: { posts: r.hasMany('posts', { foreignKey: 'authorId' }) } }))).toThrow(
      'defineSchema: relations given for "user", which is not a table key. Table keys: users, posts.',
    )
  })

  it('something that is not a relation, or a misspelt option', () => {
    expect(define({ users: u }, () => ({ users: { posts: { kind: 'hasMany' } as never } }))).toThrow(
      'Relation users.posts: not a relation definition (use r.hasMany(...), r.belongsTo(...), ...).',
    )
    expect(define({ users: u, posts: p }, (r) => ({ users: { posts: r.hasMany('posts', { foriegnKey: 'authorId' }) } }))).toThrow(
      'Relation users.posts (hasMany -> posts): unknown option "foriegnKey". Options of hasMany: foreignKey, localKey.',
    )
  })

  it('morph relations: a missing morph name, missing morph columns, bad types', () => {
    const imgs = table('images', { id: col.id(), imageableId: col.bigint(), url: col.string() })
    expect(define({ users: u, images: imgs }, (r) => ({ users: { images: r.morphMany('images', {}) } }))).toThrow(
      'Relation users.images (morphMany -> images): option "morph" is required.',
    )
    expect(define({ users: u, images: imgs }, (r) => ({ users: { images: r.morphMany('images', { morph: 'imageable' }) } }))).toThrow(
      'Relation users.images (morphMany -> images): morph type "imageableType" not found on images. Columns: id, imageableId, url.',
    )
    expect(define({ users: u, images: imgs }, (r) => ({ images: { owner: r.morphTo({ types: { users: 'users' } }) } }))).toThrow(
      'Relation images.owner (morphTo -> users): morph id "ownerId" not found on images. Columns: id, imageableId, url.',
    )
    const full = table('images', { id: col.id(), imageableId: col.bigint(), imageableType: col.string() })
    expect(define({ users: u, images: full }, (r) => ({ images: { imageable: r.morphTo({ types: { user: 'userz' } }) } }))).toThrow(
      'Relation images.imageable (morphTo -> userz): unknown table key (types.user) "userz". Table keys: users, images.',
    )
    expect(define({ users: u, images: full }, (r) => ({ images: { imageable: r.morphTo({ types: {} }) } }))).toThrow(/option "types" is required/)
  })

  it('pivot keys and pivot columns', () => {
    const tg = table('tags', { id: col.id() })
    const pt = table('post_tags', { postId: col.bigint(), tagId: col.bigint() })
    expect(define({ posts: p, tags: tg, postTags: pt }, (r) => ({ posts: { tags: r.belongsToMany('tags', { pivot: 'postTags', pivotColumns: ['position'] }) } }))).toThrow(
      'Relation posts.tags (belongsToMany -> tags): pivot column "position" not found on postTags. Columns: postId, tagId.',
    )
    expect(define({ posts: p, tags: tg, postTags: pt }, (r) => ({ tags: { posts: r.belongsToMany('posts', { pivot: 'post_tags', pivotRelatedKey: 'articleId' }) } }))).toThrow(
      'Relation tags.posts (belongsToMany -> posts): pivot related key "articleId" not found on postTags. Columns: postId, tagId.',
    )
    expect(define({ posts: p, tags: tg }, (r) => ({ posts: { tags: r.belongsToMany('tags', { pivotColumns: ['position'] }) } }))).toThrow(
      'Relation posts.tags (belongsToMany -> tags): pivotColumns need a pivot defined with table(): post_tag is made by the relation ' +
        'and has only its keys. Columns: postId, tagId.',
    )
  })

  it('a through hop with neither the convention nor one declared relation to follow', () => {
    const c = table('comments', { id: col.id(), postId: col.bigint() })
    expect(define({ users: u, posts: p, comments: c }, (r) => ({ users: { comments: r.hasManyThrough('comments', { through: 'posts' }) } }))).toThrow(
      'Relation users.comments (hasManyThrough -> comments through posts): through foreign key "userId" not found on posts. ' +
        'Columns: id, authorId, title. Relations from users to posts to take it from: none.',
    )
  })

  it('errors carry the SchemaError code', () => {
    try {
      define({ users: u, posts: p }, (r) => ({ users: { posts: r.hasMany('posts') } }))()
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(SchemaError)
      expect((error as SchemaError).code).toBe('SCHEMA_ERROR')
    }
  })
})

describe('types', () => {
  it('definitions keep their kind and target table key(s)', () => {
    expectTypeOf(schema.relations.users.posts).toEqualTypeOf<RelationDef<'hasMany', 'posts'>>()
    expectTypeOf(schema.relations.users.manager).toEqualTypeOf<RelationDef<'belongsTo', 'users'>>()
    expectTypeOf(schema.relations.posts.tags).toEqualTypeOf<RelationDef<'belongsToMany', 'tags'>>()
    expectTypeOf(schema.relations.users.comments).toEqualTypeOf<RelationDef<'hasManyThrough', 'comments'>>()
    expectTypeOf(schema.relations.images.imageable).toEqualTypeOf<RelationDef<'morphTo', 'users' | 'posts'>>()
    expectTypeOf(schema.relations.tags.videos).toEqualTypeOf<RelationDef<'morphedByMany', 'videos'>>()
    expectTypeOf(schema.meta.relations.get('users')!.get('posts')!).toEqualTypeOf<ResolvedRelation>()
  })

  it('a misspelt table key is a compile error', () => {
    const run = (fn: () => unknown) => expect(fn).toThrow(SchemaError)
    run(() =>
      defineSchema({ users, posts }, (r) => ({
        // @ts-expect-error 'post' is not a table key
        users: { posts: r.hasMany('post', { foreignKey: 'authorId' }) },
      })),
    )
    run(() =>
      defineSchema({ users, posts }, (r) => ({
        // @ts-expect-error 'postz' is not a table key
        users: { x: r.hasManyThrough('posts', { through: 'postz' }) },
      })),
    )
    run(() =>
      defineSchema({ users, images }, (r) => ({
        // @ts-expect-error a morphTo type must map to a table key
        images: { imageable: r.morphTo({ morph: 'imageable', types: { user: 'userz' } }) },
      })),
    )
    run(() =>
      // @ts-expect-error relations for 'user', which is not a table key
      defineSchema({ users, posts }, (r) => ({ user: { posts: r.hasMany('posts', { foreignKey: 'authorId' }) } })),
    )
  })

  it('pivot accepts a table key or any table name', () => {
    const s = defineSchema({ users, roles }, (r) => ({ users: { roles: r.belongsToMany('roles', { pivot: 'role_user' }) } }))
    expectTypeOf(s.relations.users.roles.options.pivot).toEqualTypeOf<string | undefined>()
  })
})
