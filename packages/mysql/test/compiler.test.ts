import { describe, expect, it } from 'vitest'
import { n, type InsertNode, type SelectNode, type StatementNode } from '@orm/core'
import { MysqlCodecs, MysqlCompiler, mysql80Capabilities } from '../src/index.js'

const compiler = new MysqlCompiler(mysql80Capabilities, new MysqlCodecs())
const aliasCompiler = new MysqlCompiler(mysql80Capabilities, new MysqlCodecs(), { upsertAlias: true })
const compile = (node: StatementNode) => compiler.compile(node)

const users = n.table('users', 'u')
const col = (name: string) => n.column(name, 'u')
const select = (props: Partial<SelectNode>): SelectNode =>
  n.select({ from: users, columns: [col('id')], ...props })

describe('MysqlCompiler', () => {
  it('quotes identifiers with backticks, doubling inner backticks', () => {
    expect(compiler.quoteIdentifier('we`ird')).toBe('`we``ird`')
    expect(compile(n.select({ from: n.table('a`b'), columns: [n.star()] })).sql).toBe('SELECT * FROM `a``b`')
  })

  it('compiles nested and/or with ? placeholders', () => {
    const where = n.and([
      n.binary(col('age'), '>=', n.value(18)),
      n.or([n.binary(col('name'), '=', n.value('a')), n.binary(col('name'), 'like', n.value('b%'))]),
    ])
    expect(compile(select({ where }))).toEqual({
      sql: 'SELECT `u`.`id` FROM `users` AS `u` WHERE `u`.`age` >= ? AND (`u`.`name` = ? OR `u`.`name` LIKE ?)',
      params: [18, 'a', 'b%'],
    })
  })

  it('compiles IN, empty IN, empty NOT IN and row-value IN', () => {
    expect(compile(select({ where: n.in([col('id')], [[n.value(1)], [n.value(2)]]) }))).toEqual({
      sql: 'SELECT `u`.`id` FROM `users` AS `u` WHERE `u`.`id` IN (?, ?)',
      params: [1, 2],
    })
    expect(compile(select({ where: n.in([col('id')], []) })).sql).toBe('SELECT `u`.`id` FROM `users` AS `u` WHERE 1 = 0')
    expect(compile(select({ where: n.in([col('id')], [], true) })).sql).toBe('SELECT `u`.`id` FROM `users` AS `u` WHERE 1 = 1')
    const rows = n.in([col('a'), col('b')], [[n.value(1), n.value(2)], [n.value(3), n.value(4)]], true)
    expect(compile(select({ where: rows }))).toEqual({
      sql: 'SELECT `u`.`id` FROM `users` AS `u` WHERE (`u`.`a`, `u`.`b`) NOT IN ((?, ?), (?, ?))',
      params: [1, 2, 3, 4],
    })
  })

  it('compiles IS NULL, BETWEEN and EXISTS', () => {
    const sub = n.select({ from: n.table('posts', 'p'), columns: [n.integer(1)], where: n.binary(n.column('user_id', 'p'), '=', col('id')) })
    const where = n.and([
      n.isNull(col('deleted_at')),
      n.isNull(col('email'), true),
      n.between(col('age'), n.value(1), n.value(9)),
      n.exists(sub),
    ])
    expect(compile(select({ where }))).toEqual({
      sql:
        'SELECT `u`.`id` FROM `users` AS `u` WHERE `u`.`deleted_at` IS NULL AND `u`.`email` IS NOT NULL' +
        ' AND `u`.`age` BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM `posts` AS `p` WHERE `p`.`user_id` = `u`.`id`)',
      params: [1, 9],
    })
  })

  it('compiles ORDER BY, LIMIT/OFFSET, OFFSET alone and locks', () => {
    const orderBy = [n.order(col('name'), 'asc'), n.order(col('id'), 'desc')]
    expect(compile(select({ orderBy, limit: n.integer(10), offset: n.integer(20) })).sql).toBe(
      'SELECT `u`.`id` FROM `users` AS `u` ORDER BY `u`.`name` ASC, `u`.`id` DESC LIMIT 10 OFFSET 20',
    )
    expect(compile(select({ offset: n.integer(5) })).sql).toBe(
      'SELECT `u`.`id` FROM `users` AS `u` LIMIT 18446744073709551615 OFFSET 5',
    )
    expect(compile(select({ lock: 'update' })).sql).toBe('SELECT `u`.`id` FROM `users` AS `u` FOR UPDATE')
    expect(compile(select({ lock: 'share' })).sql).toBe('SELECT `u`.`id` FROM `users` AS `u` LOCK IN SHARE MODE')
  })

  const insert = (props: Partial<InsertNode> = {}): InsertNode => ({
    kind: 'Insert',
    table: n.table('users'),
    columns: ['email', 'name'],
    rows: [[n.value('a@x'), n.value('A')], [n.value('b@x'), n.value('B')]],
    ...props,
  })

  it('compiles a multi-row insert with RETURNING and encodes values', () => {
    expect(compile(insert({ returning: ['id', 'email'] }))).toEqual({
      sql: 'INSERT INTO `users` (`email`, `name`) VALUES (?, ?), (?, ?) RETURNING `id`, `email`',
      params: ['a@x', 'A', 'b@x', 'B'],
    })
    const typed = insert({
      columns: ['active', 'created_at', 'meta'],
      rows: [[n.value(true, 'boolean'), n.value(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)), 'timestamp'), n.value('x', 'json')]],
    })
    expect(compile(typed).params).toEqual([1, '2024-01-02 03:04:05.999', '"x"'])
    expect(compile(insert({ columns: [], rows: [[]] })).sql).toBe('INSERT INTO `users` () VALUES ()')
  })

  it('compiles the VALUES() upsert, the row-alias upsert and do-nothing', () => {
    const onConflict = { columns: ['email'], update: ['name'] }
    expect(compile(insert({ onConflict }))).toEqual({
      sql: 'INSERT INTO `users` (`email`, `name`) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)',
      params: ['a@x', 'A', 'b@x', 'B'],
    })
    expect(aliasCompiler.compile(insert({ onConflict: { columns: ['email'], update: ['email', 'name'] } })).sql).toBe(
      'INSERT INTO `users` (`email`, `name`) VALUES (?, ?), (?, ?) AS `new` ON DUPLICATE KEY UPDATE ' +
        '`email` = `new`.`email`, `name` = `new`.`name`',
    )
    const nothing = { columns: ['email'], update: [] }
    const expected = 'INSERT INTO `users` (`email`, `name`) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE `email` = `email`'
    expect(compile(insert({ onConflict: nothing })).sql).toBe(expected)
    expect(aliasCompiler.compile(insert({ onConflict: nothing })).sql).toBe(expected)
  })

  it('compiles update and delete', () => {
    expect(
      compile({
        kind: 'Update',
        table: n.table('users'),
        set: [{ column: 'name', value: n.value('Z') }, { column: 'visits', value: n.binary(n.column('visits'), '+', n.value(1)) }],
        where: n.binary(n.column('id'), '=', n.value(7)),
      }),
    ).toEqual({ sql: 'UPDATE `users` SET `name` = ?, `visits` = `visits` + ? WHERE `id` = ?', params: ['Z', 1, 7] })
    expect(
      compile({ kind: 'Delete', table: n.table('users'), where: n.in([n.column('id')], [[n.value(1n)], [n.value(2)]]) }),
    ).toEqual({ sql: 'DELETE FROM `users` WHERE `id` IN (?, ?)', params: ['1', 2] })
  })

  it('compiles raw SQL with bound values', () => {
    const raw = n.raw(['SELECT * FROM users WHERE name = ', ' AND active = ', ''], [n.value("o'hara"), n.value(false)])
    expect(compile(raw)).toEqual({ sql: 'SELECT * FROM users WHERE name = ? AND active = ?', params: ["o'hara", 0] })
  })
})
