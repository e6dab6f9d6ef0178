import type { Connection, IntrospectedColumn, IntrospectedTable, Introspector } from '@orm/core'

const TABLES = `SELECT TABLE_NAME AS name FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`

const COLUMNS = `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS dataType, DATA_TYPE AS baseType,
IS_NULLABLE AS nullable, COLUMN_DEFAULT AS defaultValue, EXTRA AS extra
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`

const KEYS = `SELECT tc.TABLE_NAME AS tableName, tc.CONSTRAINT_NAME AS name, tc.CONSTRAINT_TYPE AS type,
k.COLUMN_NAME AS columnName, k.REFERENCED_TABLE_NAME AS referencedTable, k.REFERENCED_COLUMN_NAME AS referencedColumn,
rc.DELETE_RULE AS deleteRule, rc.UPDATE_RULE AS updateRule
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
  AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
  AND rc.TABLE_NAME = tc.TABLE_NAME AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION`

/** CHECK constraints (MySQL 8.0.16+, MariaDB 10.2+); MariaDB names a column's own CHECK after the column. */
const CHECKS = `SELECT tc.TABLE_NAME AS tableName, cc.CHECK_CLAUSE AS clause
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
  AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'`

const MARIADB_CHECKS = `${CHECKS} AND cc.TABLE_NAME = tc.TABLE_NAME`

interface ColumnRow {
  tableName: string; name: string; dataType: string; baseType: string; nullable: string; defaultValue: string | null; extra: string
}
interface KeyRow {
  tableName: string; name: string; type: string; columnName: string
  referencedTable: string | null; referencedColumn: string | null; deleteRule: string | null; updateRule: string | null
}

/** The current database's tables from information_schema, for `orm pull`. */
export class MysqlIntrospector implements Introspector {
  async tables(connection: Connection): Promise<IntrospectedTable[]> {
    const query = async <T>(sql: string) => (await connection.execute({ sql, params: [] }, 'object')).rows as T[]
    const [{ version }] = await query<{ version: string }>('SELECT VERSION() AS version')
    const mariadb = /mariadb/i.test(version)
    const tables = new Map<string, IntrospectedTable>()
    for (const { name } of await query<{ name: string }>(TABLES)) {
      tables.set(name, { name, columns: [], primaryKey: [], uniques: [], foreignKeys: [] })
    }
    for (const row of await query<ColumnRow>(COLUMNS)) tables.get(row.tableName)?.columns.push(toColumn(row, mariadb))
    const keys = new Map<string, KeyRow[]>()
    for (const row of await query<KeyRow>(KEYS)) {
      const id = `${row.tableName}\0${row.name}`
      keys.set(id, [...(keys.get(id) ?? []), row])
    }
    for (const rows of keys.values()) {
      const table = tables.get(rows[0].tableName)
      if (!table) continue
      const columns = rows.map((r) => r.columnName)
      if (rows[0].type === 'PRIMARY KEY') table.primaryKey = columns
      else if (rows[0].type === 'UNIQUE') table.uniques.push(columns)
      else {
        table.foreignKeys.push({
          columns,
          referencedTable: rows[0].referencedTable ?? '',
          referencedColumns: rows.map((r) => r.referencedColumn ?? ''),
          onDelete: rows[0].deleteRule?.toLowerCase() ?? undefined,
          onUpdate: rows[0].updateRule?.toLowerCase() ?? undefined,
        })
      }
    }
    for (const { tableName, clause } of await query<{ tableName: string; clause: string }>(mariadb ? MARIADB_CHECKS : CHECKS)) {
      const columns = tables.get(tableName)?.columns ?? []
      const json = /^\(*json_valid\(`((?:[^`]|``)+)`\)\)*$/i.exec(clause.trim())
      const jsonColumn = json && columns.find((c) => c.name === json[1].replace(/``/g, '`'))
      // MariaDB's JSON is LONGTEXT with a json_valid() check.
      if (jsonColumn) jsonColumn.dataType = 'json'
      const check = enumCheck(clause)
      const enumColumn = check && columns.find((c) => c.name === check.column)
      if (enumColumn && !enumColumn.enumValues) enumColumn.enumValues = check.values
    }
    return [...tables.values()]
  }
}

function toColumn(row: ColumnRow, mariadb: boolean): IntrospectedColumn {
  const column: IntrospectedColumn = {
    name: row.name,
    dataType: row.dataType,
    nullable: row.nullable === 'YES',
    default: normalizeDefault(row, mariadb),
    autoIncrement: /auto_increment/i.test(row.extra),
  }
  // A native ENUM('a','b'): its values are in the column type.
  if (/^enum\(/i.test(row.dataType)) column.enumValues = stringLiterals(row.dataType.slice(5, -1))
  return column
}

const STRING = "(?:_[a-z0-9]+)?'(?:[^'\\\\]|''|\\\\.)*'"

/** `\`status\` in ('a','b')` (MariaDB) or `(\`status\` in (_utf8mb4'a',_utf8mb4'b'))` (MySQL 8). */
export function enumCheck(clause: string): { column: string; values: string[] } | undefined {
  const pattern = new RegExp(`^\\(*\`((?:[^\`]|\`\`)+)\`\\s+in\\s*\\(\\s*(${STRING}(?:\\s*,\\s*${STRING})*)\\s*\\)\\)*$`, 'i')
  const match = pattern.exec(clause.trim())
  if (!match) return undefined
  return { column: match[1].replace(/``/g, '`'), values: stringLiterals(match[2]) }
}

/** The strings of a list of MySQL literals, `'a','it''s',_utf8mb4'b\\'c'`, unescaped. */
function stringLiterals(list: string): string[] {
  return [...list.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => unescapeMysql(m[1]))
}

const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' }

/** The body of a MySQL string literal: `''` is a quote, a backslash escapes the next character. */
function unescapeMysql(body: string): string {
  return body.replace(/''|\\(.)/g, (all, c: string | undefined) => (all === "''" ? "'" : (ESCAPES[c!] ?? c!)))
}

/** A standard SQL string literal: quotes doubled, backslashes as they are. */
function standardLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'"
}

const NUMERIC = /^(?:tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit)$/i

/**
 * The default as SQL text, string literals in standard quoting. MariaDB (10.2.7+) reports SQL already: quoted
 * literals (with MySQL's backslash escapes), `NULL`, expressions. MySQL reports a literal unquoted, no default
 * and DEFAULT NULL both as NULL, and marks expressions DEFAULT_GENERATED.
 */
function normalizeDefault(row: ColumnRow, mariadb: boolean): string | null {
  const value = row.defaultValue
  if (value === null) return null
  if (mariadb) {
    if (value === 'NULL') return null
    const literal = /^'((?:[^'\\]|''|\\.)*)'$/.exec(value)
    return literal ? standardLiteral(unescapeMysql(literal[1])) : value
  }
  if (/DEFAULT_GENERATED/i.test(row.extra) || NUMERIC.test(row.baseType)) return value
  return standardLiteral(value)
}
