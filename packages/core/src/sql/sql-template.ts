import { n, SQL_NODE, type ExprNode, type RawNode, type SqlNodeSource } from './ast.js'

/**
 * A piece of SQL from the `sql` template. Interpolated tables and columns (`${db.users}`, `${users.name}`)
 * become quoted identifiers; every other interpolated value becomes a bound parameter.
 */
export class SqlFragment implements SqlNodeSource {
  constructor(readonly node: RawNode) {}
  [SQL_NODE](): RawNode {
    return this.node
  }
}

export function isSqlNodeSource(value: unknown): value is SqlNodeSource {
  return typeof value === 'object' && value !== null && typeof (value as any)[SQL_NODE] === 'function'
}

/** A node for an interpolated value: identifiers and fragments embed, everything else is bound. */
export function toExprNode(value: unknown): ExprNode {
  if (isSqlNodeSource(value)) {
    const node = value[SQL_NODE]()
    if (node.kind === 'Table') return n.column(node.name)
    return node
  }
  return n.value(value)
}

/** sql`select * from ${db.users} where ${db.users.name} = ${name}`: values are always bound. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  return new SqlFragment(n.raw(strings, values.map(toExprNode)))
}
