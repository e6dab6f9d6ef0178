import { join } from 'node:path'
import type { IntrospectedColumn, IntrospectedTable } from '@orm/core'
import { afterAll, describe, expect, it } from 'vitest'
import { buildSchema, kindOf, parseDefault, pullFrom } from '../src/index.js'
import { tempDir, write } from './helpers.js'
import { typecheck } from './typecheck.js'

const column = (name: string, dataType: string, extra: Partial<IntrospectedColumn> = {}): IntrospectedColumn => ({
  name, dataType, nullable: false, default: null, autoIncrement: false, ...extra,
})
const tableOf = (name: string, columns: IntrospectedColumn[], extra: Partial<IntrospectedTable> = {}): IntrospectedTable => ({
  name, columns, primaryKey: ['id'], uniques: [], foreignKeys: [], ...extra,
})

describe('kindOf', () => {
  const kind = (dataType: string, extra: Partial<IntrospectedColumn> = {}, pk = false) => kindOf(column('c', dataType, extra), pk)

  it('maps each database spelling of a type to its kind', () => {
    const cases: [string, string][] = [
      ['INTEGER', 'integer'], ['int(11)', 'integer'], ['smallint', 'integer'], ['int unsigned', 'integer'],
      ['BIGINT', 'bigint'], ['bigint(20)', 'bigint'], ['int8', 'bigint'],
      ['BOOLEAN', 'boolean'], ['boolean', 'boolean'], ['tinyint(1)', 'boolean'],
      ['REAL', 'float'], ['double precision', 'float'], ['double', 'float'],
      ['TEXT', 'text'], ['longtext', 'text'], ['character varying', 'text'],
      ['TIMESTAMP_TEXT', 'timestamp'], ['timestamp(3) with time zone', 'timestamp'], ['datetime(3)', 'timestamp'],
      ['timestamp without time zone', 'timestamp'],
      ['DATE_TEXT', 'date'], ['date', 'date'],
      ['JSON_TEXT', 'json'], ['jsonb', 'json'], ['json', 'json'],
      ['UUID_TEXT', 'uuid'], ['uuid', 'uuid'], ['char(36)', 'uuid'],
      ['BLOB', 'binary'], ['bytea', 'binary'], ['longblob', 'binary'],
    ]
    for (const [type, expected] of cases) expect([type, kind(type).kind]).toEqual([type, expected])
  })

  it('reads lengths, precision and enum values', () => {
    expect(kind('VARCHAR(100)')).toEqual({ kind: 'string', length: 100 })
    expect(kind('character varying(20)')).toEqual({ kind: 'string', length: 20 })
    expect(kind('character(2)')).toEqual({ kind: 'string', length: 2 })
    expect(kind('DECIMAL_TEXT(12,4)')).toEqual({ kind: 'decimal', precision: 12, scale: 4 })
    expect(kind('numeric(10,0)')).toEqual({ kind: 'decimal', precision: 10, scale: 0 })
    expect(kind('numeric')).toEqual({ kind: 'decimal', precision: 18, scale: 2 })
    expect(kind('varchar(255)', { enumValues: ['a', 'b'] })).toEqual({ kind: 'enum', values: ['a', 'b'] })
    expect(kind("enum('x','y')", { enumValues: ['x', 'y'] })).toEqual({ kind: 'enum', values: ['x', 'y'] })
  })

  it('an auto-increment single primary key is an id; an unknown type is text, and says so', () => {
    expect(kind('INTEGER', { autoIncrement: true }, true)).toEqual({ kind: 'id' })
    expect(kind('bigint', { autoIncrement: true }, true)).toEqual({ kind: 'id' })
    expect(kind('bigint', { autoIncrement: true }, false)).toEqual({ kind: 'bigint' })
    expect(kind('inet')).toEqual({ kind: 'text', unknownType: 'inet' })
  })
})

describe('parseDefault', () => {
  it('reads literals, casts and parentheses as the kind\'s value', () => {
    expect(parseDefault("'draft'::character varying", 'string')).toEqual({ type: 'value', value: 'draft' })
    expect(parseDefault("'it''s'", 'text')).toEqual({ type: 'value', value: "it's" })
    expect(parseDefault("'-1'::integer", 'integer')).toEqual({ type: 'value', value: -1 })
    expect(parseDefault('(0)', 'integer')).toEqual({ type: 'value', value: 0 })
    expect(parseDefault('0.5', 'float')).toEqual({ type: 'value', value: 0.5 })
    expect(parseDefault('2.50', 'decimal')).toEqual({ type: 'value', value: '2.50' })
    expect(parseDefault("'2.50'", 'decimal')).toEqual({ type: 'value', value: '2.50' })
    expect(parseDefault('true', 'boolean')).toEqual({ type: 'value', value: true })
    expect(parseDefault('1', 'boolean')).toEqual({ type: 'value', value: true })
    expect(parseDefault("'0'", 'boolean')).toEqual({ type: 'value', value: false })
    expect(parseDefault(`'{"a": [1]}'::jsonb`, 'json')).toEqual({ type: 'value', value: { a: [1] } })
    expect(parseDefault(`('{}')`, 'json')).toEqual({ type: 'value', value: {} })
    expect(parseDefault("'2024-01-02'::date", 'date')).toEqual({ type: 'value', value: '2024-01-02' })
    expect(parseDefault("'2024-01-02 03:04:05.000'", 'timestamp')).toEqual({ type: 'value', value: new Date('2024-01-02T03:04:05.000Z') })
  })

  it('reads each database\'s current time as defaultNow(), and NULL as no default', () => {
    for (const now of ['CURRENT_TIMESTAMP', 'current_timestamp(3)', 'now()', "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"]) {
      expect(parseDefault(now, 'timestamp')).toEqual({ type: 'now' })
    }
    for (const today of ['CURRENT_DATE', 'curdate()', "(date('now'))"]) expect(parseDefault(today, 'date')).toEqual({ type: 'now' })
    expect(parseDefault('gen_random_uuid()', 'uuid')).toEqual({ type: 'random' })
    expect(parseDefault('NULL', 'text')).toBeUndefined()
    expect(parseDefault(null, 'text')).toBeUndefined()
    expect(parseDefault("nextval('t_id_seq'::regclass)", 'id')).toBeUndefined()
  })

  it('keeps any other expression as SQL', () => {
    expect(parseDefault("(lower('A'))", 'string')).toEqual({ type: 'sql', text: "(lower('A'))" })
    expect(parseDefault("X'00ff'", 'binary')).toEqual({ type: 'sql', text: "X'00ff'" })
    expect(parseDefault("'abc'", 'integer')).toEqual({ type: 'sql', text: "'abc'" })
  })
})

describe('buildSchema and the generated file', () => {
  const tmp = tempDir('pull-unit')
  afterAll(() => tmp.remove())

  const compile = (name: string, source: string) => typecheck(write(join(tmp.dir, `${name}.ts`), source))

  it('names relations after their keys, avoids names already taken, and keeps the file compiling', () => {
    const tables: IntrospectedTable[] = [
      tableOf('accounts', [column('id', 'bigint', { autoIncrement: true }), column('user', 'text'), column('owner_id', 'bigint')], {
        foreignKeys: [{ columns: ['owner_id'], referencedTable: 'people', referencedColumns: ['id'] }],
      }),
      tableOf('people', [column('id', 'bigint', { autoIncrement: true }), column('person_code', 'varchar(10)'), column('accounts', 'integer')], {
        uniques: [['person_code']],
      }),
      // A key to a table that is not pulled, and one to a unique column that is not the primary key.
      tableOf('cards', [column('id', 'bigint', { autoIncrement: true }), column('holder_code', 'varchar(10)'), column('bank_id', 'bigint')], {
        foreignKeys: [
          { columns: ['holder_code'], referencedTable: 'people', referencedColumns: ['person_code'], onDelete: 'restrict' },
          { columns: ['bank_id'], referencedTable: 'banks', referencedColumns: ['id'] },
        ],
      }),
      // Reserved names: a table called "schema", a column called "$meta".
      tableOf('schema', [column('id', 'integer', { autoIncrement: true }), column('$meta', 'text')]),
    ]
    const schema = buildSchema(tables)
    const people = schema.tables.find((t) => t.name === 'people')!
    expect(people.relations.map((r) => [r.name, r.kind, r.target, r.options])).toEqual([
      // "accounts" is a column of people, so the hasMany takes another name.
      ['accountsAsOwner', 'hasMany', 'accounts', { foreignKey: 'ownerId' }],
      ['cards', 'hasMany', 'cards', { foreignKey: 'holderCode', localKey: 'personCode' }],
    ])
    const cards = schema.tables.find((t) => t.name === 'cards')!
    expect(cards.relations.map((r) => [r.name, r.kind, r.options])).toEqual([['person', 'belongsTo', { foreignKey: 'holderCode', ownerKey: 'personCode' }]])
    expect(schema.warnings).toEqual(['cards: the foreign key (bank_id) -> banks points outside the pulled tables; left out.'])
    expect(schema.tables.find((t) => t.name === 'schema')!.key).toBe('schemaTable')

    const { source } = pullFrom(tables)
    expect(source).toContain(`export const schemaTable = table('schema', {`)
    expect(source).toContain(`meta: col.text().column('$meta'),`)
    expect(source).toContain('// Note: cards: the foreign key (bank_id) -> banks')
    expect(compile('names', source)).toEqual([])
  })

  it('composite keys: a composite primary key option, relations over both columns, no .references() for them', () => {
    const tables: IntrospectedTable[] = [
      tableOf('regions', [column('country', 'varchar(2)'), column('code', 'varchar(5)'), column('name', 'text')], { primaryKey: ['country', 'code'] }),
      tableOf('stores', [column('id', 'integer', { autoIncrement: true }), column('country', 'varchar(2)'), column('region_code', 'varchar(5)')], {
        foreignKeys: [{ columns: ['country', 'region_code'], referencedTable: 'regions', referencedColumns: ['country', 'code'], onDelete: 'cascade' }],
      }),
    ]
    const { source, schema } = pullFrom(tables)
    expect(source).toContain(`}, { primaryKey: ['country', 'code'] })`)
    expect(source).toContain(`region: r.belongsTo('regions', { foreignKey: ['country', 'regionCode'] }),`)
    expect(source).toContain(`stores: r.hasMany('stores', { foreignKey: ['country', 'regionCode'] }),`)
    expect(source).not.toMatch(/\.references\(\(/)
    expect(schema.warnings[0]).toMatch(/composite foreign key \(country, region_code\)/)
    expect(compile('composite', source)).toEqual([])
  })

  it('a key that is also the primary key is a hasOne; a table of two keys without a key over them is not a pivot', () => {
    const tables: IntrospectedTable[] = [
      tableOf('users', [column('id', 'bigint', { autoIncrement: true })]),
      tableOf('settings', [column('user_id', 'bigint'), column('theme', 'text', { default: "'dark'" })], {
        primaryKey: ['user_id'],
        foreignKeys: [{ columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'cascade' }],
      }),
      tableOf('groups', [column('id', 'bigint', { autoIncrement: true })]),
      tableOf('visits', [column('id', 'bigint', { autoIncrement: true }), column('user_id', 'bigint'), column('group_id', 'bigint')], {
        foreignKeys: [
          { columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'] },
          { columns: ['group_id'], referencedTable: 'groups', referencedColumns: ['id'] },
        ],
      }),
    ]
    const { source } = pullFrom(tables)
    expect(source).toContain(`userId: col.bigint().primaryKey().references(() => users.id, { onDelete: 'cascade' }),`)
    expect(source).toContain(`setting: r.hasOne('settings'),`)
    expect(source).toContain(`visits: r.hasMany('visits'),`)
    expect(source).not.toContain('belongsToMany')
    expect(compile('has-one', source)).toEqual([])
  })

  it('the type check finds errors (it is not vacuous)', () => {
    expect(compile('broken', `import { defineSchema, table, col } from '@orm/core'\nconst t = table('t', { id: col.id() })\n` +
      `export const schema = defineSchema({ t }, (r) => ({ t: { x: r.hasMany('nope') } }))\n`)).not.toEqual([])
  })
})
