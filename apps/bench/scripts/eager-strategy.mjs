// Measures the two eager-loading strategies on the raw drivers: keyed (users, then posts WHERE author_id IN (...))
// against one statement with JSON aggregation, for 100 users with 10 posts each. `node scripts/eager-strategy.mjs`.
// Keyed (2 statements) vs JSON aggregation (1 statement) for users(100) with their posts (10 each), raw drivers.
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const pg = require('pg'); const mysql = require('mysql2/promise'); const Database = require('better-sqlite3')

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1] }
async function run(name, keyed, json, rounds = 300) {
  for (let i = 0; i < 30; i++) { await keyed(); await json() }
  const k = [], j = []
  for (let i = 0; i < rounds; i++) {
    let t = performance.now(); await keyed(); k.push(performance.now() - t)
    t = performance.now(); await json(); j.push(performance.now() - t)
  }
  console.log(`${name}: keyed ${(median(k) * 1000).toFixed(0)} µs, json ${(median(j) * 1000).toFixed(0)} µs, json/keyed ${(median(j) / median(k)).toFixed(2)}`)
}
const group = (users, posts) => { const by = new Map(); for (const p of posts) { const l = by.get(p.author_id); if (l) l.push(p); else by.set(p.author_id, [p]) } for (const u of users) u.posts = (by.get(u.id) ?? []).map((p) => ({ ...p, created_at: new Date(p.created_at) })); return users }
const fix = (users) => { for (const u of users) u.posts = (typeof u.posts === 'string' ? JSON.parse(u.posts) : u.posts).map((p) => ({ ...p, created_at: new Date(p.created_at) })); return users }

// --- pg
const pool = new pg.Pool({ connectionString: process.env.ORM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test', max: 2 })
await pool.query('drop table if exists eb_posts, eb_users; create table eb_users (id bigint primary key, name text); create table eb_posts (id bigint primary key, author_id bigint, title text, views int, created_at timestamptz(3)); create index on eb_posts(author_id)')
await pool.query("insert into eb_users select g, 'u'||g from generate_series(1,2000) g")
await pool.query("insert into eb_posts select g, (g-1)/10+1, 't'||g, g%100, now() from generate_series(1,20000) g")
await run('pg', async () => {
  const u = (await pool.query({ name: 'k1', text: 'select id, name from eb_users order by id limit 100' })).rows
  const p = (await pool.query({ name: 'k2', text: 'select id, author_id, title, views, created_at from eb_posts where author_id = any($1) order by id', values: [u.map((x) => x.id)] })).rows
  return group(u, p)
}, async () => {
  const u = (await pool.query({ name: 'j1', text: "select u.id, u.name, (select coalesce(json_agg(json_build_object('id', p.id, 'author_id', p.author_id, 'title', p.title, 'views', p.views, 'created_at', p.created_at) order by p.id), '[]') from eb_posts p where p.author_id = u.id) as posts from eb_users u order by u.id limit 100" })).rows
  return fix(u)
})
await pool.query('drop table eb_posts, eb_users'); await pool.end()

// --- mariadb
const my = mysql.createPool({ uri: process.env.ORM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test', connectionLimit: 1 })
await my.query('drop table if exists eb_posts, eb_users'); await my.query('set session max_recursive_iterations = 100000')
await my.query('create table eb_users (id bigint primary key, name varchar(50))')
await my.query('create table eb_posts (id bigint primary key, author_id bigint, title varchar(50), views int, created_at datetime(3), index(author_id))')
await my.query("insert into eb_users with recursive g(n) as (select 1 union all select n+1 from g where n < 2000) select n, concat('u', n) from g")
await my.query("insert into eb_posts with recursive g(n) as (select 1 union all select n+1 from g where n < 20000) select n, floor((n-1)/10)+1, concat('t', n), n % 100, now(3) from g")
await run('mariadb', async () => {
  const [u] = await my.execute('select id, name from eb_users order by id limit 100')
  const ids = u.map((x) => x.id)
  const [p] = await my.execute(`select id, author_id, title, views, created_at from eb_posts where author_id in (${ids.map(() => '?').join(',')}) order by id`, ids)
  return group(u, p)
}, async () => {
  const [u] = await my.execute("select u.id, u.name, (select coalesce(json_arrayagg(json_object('id', p.id, 'author_id', p.author_id, 'title', p.title, 'views', p.views, 'created_at', p.created_at) order by p.id), '[]') from eb_posts p where p.author_id = u.id) as posts from eb_users u order by u.id limit 100")
  return fix(u)
})
await my.query('drop table eb_posts, eb_users'); await my.end()

// --- sqlite
const db = new Database(':memory:')
db.exec("create table eb_users (id integer primary key, name text); create table eb_posts (id integer primary key, author_id integer, title text, views integer, created_at text); create index i on eb_posts(author_id)")
const iu = db.prepare('insert into eb_users values (?, ?)'); const ip = db.prepare('insert into eb_posts values (?, ?, ?, ?, ?)')
db.transaction(() => { for (let i = 1; i <= 2000; i++) iu.run(i, 'u' + i); for (let i = 1; i <= 20000; i++) ip.run(i, Math.floor((i - 1) / 10) + 1, 't' + i, i % 100, new Date().toISOString()) })()
const k1 = db.prepare('select id, name from eb_users order by id limit 100')
const j1 = db.prepare("select u.id, u.name, (select coalesce(json_group_array(json_object('id', p.id, 'author_id', p.author_id, 'title', p.title, 'views', p.views, 'created_at', p.created_at)), '[]') from (select * from eb_posts p where p.author_id = u.id order by p.id) p) as posts from eb_users u order by u.id limit 100")
const k2cache = new Map()
await run('sqlite', async () => {
  const u = k1.all(); const ids = u.map((x) => x.id)
  let s = k2cache.get(ids.length); if (!s) k2cache.set(ids.length, s = db.prepare(`select id, author_id, title, views, created_at from eb_posts where author_id in (${ids.map(() => '?').join(',')}) order by id`))
  return group(u, s.all(...ids))
}, async () => fix(j1.all()))
