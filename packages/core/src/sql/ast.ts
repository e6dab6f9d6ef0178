/**
 * The query AST: plain, frozen objects with a `kind`. Builders make new nodes instead of changing old ones,
 * and the compiler's visitor table is typed by `kind`, so a node kind a compiler does not handle is a type error.
 */
import type { ColumnKind } from '../schema/columns.js'

/** Objects that stand for a piece of SQL inside the `sql` template (tables, columns, fragments). */
export const SQL_NODE = Symbol.for('@orm/core.sqlNode')
export interface SqlNodeSource {
  [SQL_NODE](): ExprNode | TableNode
}

export type BinaryOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'not like' | '+' | '-' | '*' | '/'

export interface ColumnNode {
  readonly kind: 'Column'
  /** The table name or alias that qualifies the column; omitted for an unqualified name. */
  readonly table?: string
  readonly column: string
  /** The column's kind, where a comparison or an order may depend on it (see SqlCompiler.comparable). */
  readonly type?: ColumnKind
}
/** A value that is always sent as a bound parameter, encoded by the codec of `type` when known. */
export interface ValueNode {
  readonly kind: 'Value'
  readonly value: unknown
  readonly type?: ColumnKind
}
/** A validated integer written into the SQL text (LIMIT/OFFSET, where a bound LIMIT is not portable). */
export interface IntegerNode {
  readonly kind: 'Integer'
  readonly value: number
}
/** Text from the `sql` template or `whereRaw`: `parts` interleave with `values` (nodes, so values stay bound). */
export interface RawNode {
  readonly kind: 'Raw'
  readonly parts: readonly string[]
  readonly values: readonly ExprNode[]
}
export interface BinaryNode {
  readonly kind: 'Binary'
  readonly op: BinaryOperator
  readonly left: ExprNode
  readonly right: ExprNode
}
export interface AndNode {
  readonly kind: 'And'
  readonly items: readonly ExprNode[]
}
export interface OrNode {
  readonly kind: 'Or'
  readonly items: readonly ExprNode[]
}
export interface NotNode {
  readonly kind: 'Not'
  readonly expr: ExprNode
}
/** `left IN (...)`; `left` is a list for row values. An empty list compiles to a constant predicate. */
export interface InNode {
  readonly kind: 'In'
  readonly left: readonly ExprNode[]
  readonly values: readonly (readonly ExprNode[])[] | SelectNode
  readonly negate: boolean
}
export interface IsNullNode {
  readonly kind: 'IsNull'
  readonly expr: ExprNode
  readonly negate: boolean
}
export interface BetweenNode {
  readonly kind: 'Between'
  readonly expr: ExprNode
  readonly low: ExprNode
  readonly high: ExprNode
  readonly negate: boolean
}
export interface ExistsNode {
  readonly kind: 'Exists'
  readonly query: SelectNode
  readonly negate: boolean
}
export type FunctionName = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'coalesce' | 'lower' | 'upper'
export interface FunctionNode {
  readonly kind: 'Function'
  readonly name: FunctionName
  readonly args: readonly ExprNode[]
  readonly distinct?: boolean
}
export interface StarNode {
  readonly kind: 'Star'
  readonly table?: string
}
export interface SubqueryNode {
  readonly kind: 'Subquery'
  readonly query: SelectNode
}
export interface AliasNode {
  readonly kind: 'Alias'
  readonly expr: ExprNode
  readonly alias: string
}
/** ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...): per-parent limits. */
export interface RowNumberNode {
  readonly kind: 'RowNumber'
  readonly partitionBy: readonly ExprNode[]
  readonly orderBy: readonly OrderNode[]
}
/** A constant true/false predicate. */
export interface ConstantNode {
  readonly kind: 'Constant'
  readonly value: boolean
}

export type ExprNode =
  | ColumnNode | ValueNode | IntegerNode | RawNode | BinaryNode | AndNode | OrNode | NotNode | InNode | IsNullNode
  | BetweenNode | ExistsNode | FunctionNode | StarNode | SubqueryNode | AliasNode | RowNumberNode | ConstantNode

export interface TableNode {
  readonly kind: 'Table'
  readonly name: string
  readonly alias?: string
}
export interface DerivedTableNode {
  readonly kind: 'DerivedTable'
  readonly query: SelectNode
  readonly alias: string
}
export interface JoinNode {
  readonly kind: 'Join'
  readonly type: 'inner' | 'left'
  readonly table: TableNode | DerivedTableNode
  readonly on: ExprNode
}
export interface OrderNode {
  readonly kind: 'Order'
  readonly expr: ExprNode
  readonly direction: 'asc' | 'desc'
  /** The ordered value can be NULL: dialects whose NULL order differs make it explicit. */
  readonly nullable?: boolean
}

export interface SelectNode {
  readonly kind: 'Select'
  readonly from: TableNode | DerivedTableNode
  readonly columns: readonly ExprNode[]
  readonly joins?: readonly JoinNode[]
  readonly where?: ExprNode
  readonly groupBy?: readonly ExprNode[]
  readonly having?: ExprNode
  readonly orderBy?: readonly OrderNode[]
  readonly limit?: IntegerNode
  readonly offset?: IntegerNode
  readonly distinct?: boolean
  readonly lock?: 'update' | 'share'
}

export interface OnConflictNode {
  /** Conflict target columns (dialects without a target match any unique key). */
  readonly columns: readonly string[]
  /** Columns to overwrite from the proposed row; empty means do nothing on conflict. */
  readonly update: readonly string[]
}
export interface InsertNode {
  readonly kind: 'Insert'
  readonly table: TableNode
  readonly columns: readonly string[]
  readonly rows: readonly (readonly ExprNode[])[]
  readonly returning?: readonly string[]
  readonly onConflict?: OnConflictNode
}
export interface UpdateNode {
  readonly kind: 'Update'
  readonly table: TableNode
  readonly set: readonly { readonly column: string; readonly value: ExprNode }[]
  readonly where?: ExprNode
  readonly returning?: readonly string[]
}
export interface DeleteNode {
  readonly kind: 'Delete'
  readonly table: TableNode
  readonly where?: ExprNode
  readonly returning?: readonly string[]
}

export type StatementNode = SelectNode | InsertNode | UpdateNode | DeleteNode | RawNode
export type AnyNode = ExprNode | StatementNode | TableNode | DerivedTableNode | JoinNode | OrderNode
export type NodeKind = AnyNode['kind']

/**
 * Small constructors so builders read as sentences. Nodes are immutable by type (every field `readonly`),
 * not frozen at run time: a query builds dozens of nodes, and `Object.freeze` cost about 25 ns each (more than
 * building the node), so a one-row read spent about 1 µs freezing. Nothing in the ORM writes to a node.
 */
export const n = {
  column: (column: string, table?: string, type?: ColumnKind): ColumnNode =>
    type === undefined ? { kind: 'Column', column, table } : { kind: 'Column', column, table, type },
  value: (value: unknown, type?: ColumnKind): ValueNode => ({ kind: 'Value', value, type }),
  integer: (value: number): IntegerNode => ({ kind: 'Integer', value }),
  raw: (parts: readonly string[], values: readonly ExprNode[] = []): RawNode =>
    ({ kind: 'Raw', parts: [...parts], values: [...values] }),
  binary: (left: ExprNode, op: BinaryOperator, right: ExprNode): BinaryNode => ({ kind: 'Binary', op, left, right }),
  and: (items: readonly ExprNode[]): AndNode => ({ kind: 'And', items: [...items] }),
  or: (items: readonly ExprNode[]): OrNode => ({ kind: 'Or', items: [...items] }),
  not: (expr: ExprNode): NotNode => ({ kind: 'Not', expr }),
  in: (left: readonly ExprNode[], values: InNode['values'], negate = false): InNode =>
    ({ kind: 'In', left: [...left], values, negate }),
  isNull: (expr: ExprNode, negate = false): IsNullNode => ({ kind: 'IsNull', expr, negate }),
  between: (expr: ExprNode, low: ExprNode, high: ExprNode, negate = false): BetweenNode =>
    ({ kind: 'Between', expr, low, high, negate }),
  exists: (query: SelectNode, negate = false): ExistsNode => ({ kind: 'Exists', query, negate }),
  fn: (name: FunctionName, args: readonly ExprNode[], distinct = false): FunctionNode =>
    ({ kind: 'Function', name, args: [...args], distinct }),
  star: (table?: string): StarNode => ({ kind: 'Star', table }),
  subquery: (query: SelectNode): SubqueryNode => ({ kind: 'Subquery', query }),
  alias: (expr: ExprNode, alias: string): AliasNode => ({ kind: 'Alias', expr, alias }),
  constant: (value: boolean): ConstantNode => ({ kind: 'Constant', value }),
  table: (name: string, alias?: string): TableNode => ({ kind: 'Table', name, alias }),
  order: (expr: ExprNode, direction: 'asc' | 'desc', nullable = false): OrderNode =>
    ({ kind: 'Order', expr, direction, nullable }),
  select: (props: Omit<SelectNode, 'kind'>): SelectNode => ({ kind: 'Select', ...props }),
}

/** Combines predicates with AND, dropping the empty ones. */
export function andAll(items: readonly (ExprNode | undefined)[]): ExprNode | undefined {
  const present = items.filter((i): i is ExprNode => i !== undefined)
  if (present.length === 0) return undefined
  if (present.length === 1) return present[0]
  return n.and(present)
}

/** A predicate that can match no row (an empty IN list, a false constant), found without running anything. */
export function alwaysFalse(expr: ExprNode | undefined): boolean {
  if (!expr) return false
  switch (expr.kind) {
    case 'Constant':
      return !expr.value
    case 'In':
      return !expr.negate && Array.isArray(expr.values) && expr.values.length === 0
    case 'And':
      return expr.items.some(alwaysFalse)
    case 'Or':
      return expr.items.length > 0 && expr.items.every(alwaysFalse)
    default:
      return false
  }
}
