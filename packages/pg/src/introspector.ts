import type { Connection, IntrospectedTable, Introspector } from '@orm/core'

const COLUMNS = `
SELECT c.relname AS table_name, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS data_type,
  NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS column_default,
  (a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%') AS auto_increment,
  (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = a.atttypid) AS enum_labels
FROM pg_class c
JOIN pg_namespace ns ON ns.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum`

/** Primary keys and unique indexes (constraints or plain unique indexes), on columns only, not expressions. */
const KEYS = `
SELECT c.relname AS table_name, i.indisprimary AS is_primary, ic.relname AS index_name,
  array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, pos)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num ORDER BY k.pos) AS columns
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
WHERE ns.nspname = current_schema() AND i.indisunique AND i.indexprs IS NULL AND i.indpred IS NULL
ORDER BY c.relname, ic.relname`

const FOREIGN_KEYS = `
SELECT c.relname AS table_name, con.conname AS name, rc.relname AS referenced_table, con.confdeltype AS on_delete,
  con.confupdtype AS on_update,
  array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos) AS columns,
  array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos) AS referenced_columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_class rc ON rc.oid = con.confrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
WHERE ns.nspname = current_schema() AND con.contype = 'f'
ORDER BY c.relname, con.conname`

/** One-column CHECK constraints, for the values of an enum column (`col IN ('a', 'b')`). */
const CHECKS = `
SELECT c.relname AS table_name, a.attname AS column_name, pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
WHERE ns.nspname = current_schema() AND con.contype = 'c' AND cardinality(con.conkey) = 1
ORDER BY c.relname, con.conname`

const ACTIONS: Record<string, string> = {
  a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default',
}

type Row = Record<string, any>

/** Reads the tables of the current schema from pg_catalog, for `orm pull`. */
export class PgIntrospector implements Introspector {
  async tables(connection: Connection): Promise<IntrospectedTable[]> {
    const query = async (sql: string) => (await connection.execute({ sql, params: [] }, 'object')).rows as Row[]
    const tables = new Map<string, IntrospectedTable>()
    const get = (name: string) => tables.get(name)!
    for (const r of await query(COLUMNS)) {
      if (!tables.has(r.table_name)) {
        tables.set(r.table_name, { name: r.table_name, columns: [], primaryKey: [], uniques: [], foreignKeys: [] })
      }
      get(r.table_name).columns.push({
        name: r.name, dataType: r.data_type, nullable: r.nullable, default: r.column_default, autoIncrement: r.auto_increment,
        ...(r.enum_labels ? { enumValues: r.enum_labels } : {}),
      })
    }
    for (const r of await query(KEYS)) {
      if (!tables.has(r.table_name)) continue
      if (r.is_primary) get(r.table_name).primaryKey = r.columns
      else get(r.table_name).uniques.push(r.columns)
    }
    for (const r of await query(FOREIGN_KEYS)) {
      tables.get(r.table_name)?.foreignKeys.push({
        columns: r.columns, referencedTable: r.referenced_table, referencedColumns: r.referenced_columns,
        onDelete: ACTIONS[r.on_delete], onUpdate: ACTIONS[r.on_update],
      })
    }
    for (const r of await query(CHECKS)) {
      const column = tables.get(r.table_name)?.columns.find((c) => c.name === r.column_name)
      const values = enumValues(r.definition)
      if (column && values && !column.enumValues) column.enumValues = values
    }
    return [...tables.values()]
  }
}

/**
 * The values of a CHECK that limits a column to strings, as pg_get_constraintdef prints it:
 * `CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))`,
 * or `CHECK (((status)::text = 'a'::text))` for one value. Anything else is not an enum.
 */
export function enumValues(definition: string): string[] | undefined {
  const literal = "'((?:[^']|'')*)'(?:::[a-z ]+(?:\\[\\])?)?"
  const column = '\\(*(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\\)*(?:::[a-z ]+)?'
  const any = new RegExp(`^CHECK \\(+${column} = ANY \\(+ARRAY\\[((?:${literal}(?:, )?)+)\\]\\)*(?:::[a-z ]+\\[\\])?\\)+$`, 'i')
  const one = new RegExp(`^CHECK \\(+${column} = ${literal}\\)+$`, 'i')
  const list = any.exec(definition)?.[1] ?? one.exec(definition)?.[0].replace(/^[^=]*= /, '')
  if (list === undefined) return undefined
  return [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"))
}
