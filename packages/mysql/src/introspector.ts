import type { Connection, IntrospectedColumn, IntrospectedTable, Introspector } from '@orm/core'

const TABLES = `SELECT TABLE_NAME AS name FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`

const COLUMNS = `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS dataType, DATA_TYPE AS baseType,
IS_NULLABLE AS nullable, COLUMN_DEFAULT AS defaultValue, EXTRA AS extra
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`

const KEYS = `SELECT tc.TABLE_NAME AS tableName, tc.CONSTRAINT_NAME AS name, tc.CONSTRAINT_TYPE AS type,
k.COLUMN_NAME AS columnName, k.REFERENCED_TABLE_NAME AS referencedTable, k.REFERENCED_COLUMN_NAME AS referencedColumn,
rc.DELETE_RULE AS deleteRule
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
  AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA
  AND rc.TABLE_NAME = tc.TABLE_NAME AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION`

interface ColumnRow {
  tableName: string; name: string; dataType: string; baseType: string; nullable: string; defaultValue: string | null; extra: string
}
interface KeyRow {
  tableName: string; name: string; type: string; columnName: string
  referencedTable: string | null; referencedColumn: string | null; deleteRule: string | null
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
        })
      }
    }
    return [...tables.values()]
  }
}

function toColumn(row: ColumnRow, mariadb: boolean): IntrospectedColumn {
  return {
    name: row.name,
    dataType: row.dataType,
    nullable: row.nullable === 'YES',
    default: normalizeDefault(row, mariadb),
    autoIncrement: /auto_increment/i.test(row.extra),
  }
}

const NUMERIC = /^(?:tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|bit)$/i

/**
 * The default as SQL text. MariaDB (10.2.7+) reports SQL already: quoted literals, `NULL`, expressions. MySQL
 * reports a literal unquoted, no default and DEFAULT NULL both as NULL, and marks expressions DEFAULT_GENERATED.
 */
function normalizeDefault(row: ColumnRow, mariadb: boolean): string | null {
  const value = row.defaultValue
  if (value === null) return null
  if (mariadb) return value === 'NULL' ? null : value
  if (/DEFAULT_GENERATED/i.test(row.extra) || NUMERIC.test(row.baseType)) return value
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'"
}
