import type { Column } from '../schema/columns.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { AnyTable, ColumnValue } from '../schema/table.js'
import type { SqlFragment } from '../sql/sql-template.js'

/** The row type of a table definition. */
export type InferRow<T extends AnyTable> = { [K in keyof T['$columns']]: ColumnValue<T['$columns'][K]> }

type RequiredInsertKeys<C> = {
  [K in keyof C]: C[K] extends Column<any, infer N, infer D> ? (N extends true ? never : D extends true ? never : K) : never
}[keyof C]

type Writable<V> = V | SqlFragment

/** What `insert` takes: columns without a default and not nullable are required. */
export type InferInsert<T extends AnyTable> = {
  [K in RequiredInsertKeys<T['$columns']>]: Writable<ColumnValue<T['$columns'][K]>>
} & {
  [K in Exclude<keyof T['$columns'], RequiredInsertKeys<T['$columns']>>]?: Writable<ColumnValue<T['$columns'][K]>>
}

/** What `update` takes: any subset of the columns, values or sql`` expressions. */
export type InferUpdate<T extends AnyTable> = { [K in keyof T['$columns']]?: Writable<ColumnValue<T['$columns'][K]>> }

export type TablesOf<S extends AnySchema> = S['tables']
export type TableKey<S extends AnySchema> = Extract<keyof S['tables'], string>
export type TableOf<S extends AnySchema, K extends TableKey<S>> = S['tables'][K]

/** `Row<typeof schema, 'users'>`: the row type of a table of a schema. */
export type Row<S extends AnySchema, K extends TableKey<S>> = InferRow<TableOf<S, K>>
export type ColumnName<T extends AnyTable> = Extract<keyof T['$columns'], string>

/** A primary key value: a scalar, or an object / array for a composite key. */
export type KeyValue = string | number | bigint | readonly unknown[] | Record<string, unknown>

export type Operator =
  | '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=' | 'like' | 'not like' | 'ilike' | 'not ilike' | 'in' | 'not in'

export interface Page<R> {
  data: R[]
  total: number
  page: number
  perPage: number
  lastPage: number
}
