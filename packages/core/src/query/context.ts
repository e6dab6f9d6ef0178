import type { Session } from '../driver/session.js'
import type { AnySchema } from '../schema/define-schema.js'
import type { TableMeta } from '../schema/table.js'
import type { TableScope } from './where.js'

/** What a query over one table needs: the session it runs on, the schema, and the table. */
export interface QueryContext {
  readonly session: Session
  readonly schema: AnySchema
  readonly tableKey: string
  readonly meta: TableMeta
  /** The alias the table has in its statement (default: its name); subqueries over a relation set their own. */
  readonly alias?: string
  /** Set when this query reads a pivot relation's targets: the pivot table joined in, for wherePivot/orderByPivot. */
  readonly pivot?: { readonly meta: TableMeta; readonly alias: string }
  /** Set for `related(rows, name)`: the parent rows and relation that scope this query (read by the relation layer). */
  readonly owner?: unknown
}

export function scopeOf(ctx: QueryContext): TableScope {
  return { meta: ctx.meta, alias: ctx.alias ?? ctx.meta.name }
}
