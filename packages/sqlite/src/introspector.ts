import type { Connection, IntrospectedColumn, IntrospectedForeignKey, IntrospectedTable, Introspector } from '@orm/core'

type Row = Record<string, unknown>

/** Reads tables through the pragma table-valued functions, which take the table name as a bound value. */
export class SqliteIntrospector implements Introspector {
  async tables(connection: Connection): Promise<IntrospectedTable[]> {
    const tables = await query(
      connection,
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    const result: IntrospectedTable[] = []
    for (const table of tables) result.push(await this.table(connection, String(table.name), String(table.sql ?? '')))
    return result
  }

  private async table(connection: Connection, name: string, createSql: string): Promise<IntrospectedTable> {
    const info = await query(connection, 'SELECT * FROM pragma_table_info(?) ORDER BY cid', [name])
    const primaryKey = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => String(c.name))
    const columns: IntrospectedColumn[] = info.map((c) => ({
      name: String(c.name),
      dataType: String(c.type),
      nullable: Number(c.notnull) === 0 && Number(c.pk) === 0,
      default: c.dflt_value === null ? null : String(c.dflt_value),
      // A lone INTEGER PRIMARY KEY is the rowid: SQLite assigns it, with or without AUTOINCREMENT.
      autoIncrement: primaryKey.length === 1 && primaryKey[0] === c.name && /^integer$/i.test(String(c.type)),
    }))
    for (const [column, values] of enumChecks(createSql)) {
      const target = columns.find((c) => c.name === column)
      if (target) target.enumValues = values
    }
    return {
      name,
      columns,
      primaryKey,
      uniques: await uniques(connection, name),
      foreignKeys: await foreignKeys(connection, name),
    }
  }
}

async function uniques(connection: Connection, table: string): Promise<string[][]> {
  const indexes = await query(connection, 'SELECT name, origin FROM pragma_index_list(?) WHERE "unique" = 1 AND partial = 0 ORDER BY name', [table])
  const result: string[][] = []
  for (const index of indexes) {
    if (index.origin === 'pk') continue
    const cols = await query(connection, 'SELECT name FROM pragma_index_info(?) ORDER BY seqno', [index.name])
    result.push(cols.map((c) => String(c.name)))
  }
  return result
}

async function foreignKeys(connection: Connection, table: string): Promise<IntrospectedForeignKey[]> {
  const rows = await query(connection, 'SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table])
  const byId = new Map<string, IntrospectedForeignKey>()
  for (const row of rows) {
    const id = String(row.id)
    let fk = byId.get(id)
    if (!fk) {
      fk = {
        columns: [], referencedTable: String(row.table), referencedColumns: [],
        onDelete: String(row.on_delete).toLowerCase(), onUpdate: String(row.on_update).toLowerCase(),
      }
      byId.set(id, fk)
    }
    fk.columns.push(String(row.from))
    if (row.to !== null) fk.referencedColumns.push(String(row.to))
  }
  // `REFERENCES parent` without columns points at the parent's primary key.
  for (const fk of byId.values()) {
    if (fk.referencedColumns.length === 0) {
      const parent = await query(connection, 'SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', [fk.referencedTable])
      fk.referencedColumns = parent.map((c) => String(c.name))
    }
  }
  return [...byId.values()]
}

const IDENTIFIER = '("(?:[^"]|"")+"|`(?:[^`]|``)+`|\\[[^\\]]+\\]|[A-Za-z_][\\w$]*)'
const STRING = "'(?:[^']|'')*'"
const ENUM_CHECK = new RegExp(`CHECK\\s*\\(\\s*${IDENTIFIER}\\s+IN\\s*\\(\\s*(${STRING}(?:\\s*,\\s*${STRING})*)\\s*\\)\\s*\\)`, 'gi')

/** `CHECK ("status" IN ('draft', 'live'))` in the table's CREATE statement, as the DDL writes an enum column. */
function enumChecks(createSql: string): Map<string, string[]> {
  const result = new Map<string, string[]>()
  for (const match of createSql.matchAll(ENUM_CHECK)) {
    const column = /^["`[]/.test(match[1]) ? match[1].slice(1, -1).replace(/""/g, '"').replace(/``/g, '`') : match[1]
    const values = [...match[2].matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"))
    result.set(column, values)
  }
  return result
}

async function query(connection: Connection, sql: string, params: unknown[] = []): Promise<Row[]> {
  const result = await connection.execute({ sql, params }, 'object')
  return result.rows as Row[]
}
