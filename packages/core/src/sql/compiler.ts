import { ValidationError } from '../errors.js'
import type { Capabilities } from '../driver/capabilities.js'
import type { Codecs } from '../driver/codecs.js'
import type { ColumnKind } from '../schema/columns.js'
import type {
  AnyNode, DeleteNode, ExprNode, InsertNode, JoinNode, NodeKind, OrderNode, RawNode, SelectNode, StatementNode,
  UpdateNode, DerivedTableNode, TableNode, OnConflictNode,
} from './ast.js'

export interface CompiledQuery {
  readonly sql: string
  readonly params: readonly unknown[]
}

type Visitors = { [K in NodeKind]: (w: SqlWriter, node: Extract<AnyNode, { kind: K }>) => void }

/**
 * Turns AST nodes into SQL text and bound parameters. Dialects subclass it and override the small hooks
 * below (quoting, placeholders, LIMIT/OFFSET, upsert, RETURNING, NULL order); everything else is shared.
 * A compiler is stateless between calls: `compile` may run concurrently for different queries.
 */
export class SqlCompiler {
  constructor(
    readonly capabilities: Capabilities,
    readonly codecs: Codecs,
  ) {}

  compile(node: StatementNode): CompiledQuery {
    const writer = new SqlWriter(this)
    writer.visit(node)
    return { sql: writer.sql, params: writer.params }
  }

  private readonly quotedNames = new Map<string, string>()

  /** quoteIdentifier, memoized: the same schema names are quoted in every statement. */
  quoted(name: string): string {
    let quoted = this.quotedNames.get(name)
    if (quoted === undefined) {
      quoted = this.quoteIdentifier(name)
      if (this.quotedNames.size < 10_000) this.quotedNames.set(name, quoted)
    }
    return quoted
  }

  // ---- hooks -------------------------------------------------------------------------------------

  quoteIdentifier(name: string): string {
    return '"' + name.replace(/"/g, '""') + '"'
  }

  /** The placeholder for the parameter at 1-based `index`. */
  placeholder(_index: number): string {
    return '?'
  }

  limitOffset(w: SqlWriter, node: SelectNode): void {
    if (node.limit) w.write(' LIMIT ').visit(node.limit)
    if (node.offset) {
      if (!node.limit) w.write(' LIMIT ').write(this.noLimit())
      w.write(' OFFSET ').visit(node.offset)
    }
  }

  /** What LIMIT says when only OFFSET was asked for. */
  noLimit(): string {
    return '-1'
  }

  orderItem(w: SqlWriter, node: OrderNode): void {
    this.comparable(w, node.expr)
    w.write(node.direction === 'desc' ? ' DESC' : ' ASC')
  }

  /**
   * Writes an operand of a comparison (=, <, BETWEEN, IN, ...), an ORDER BY item or a MIN/MAX argument. A
   * dialect that stores a kind in a form that does not compare like its values converts it here (SQLite keeps
   * decimals as text, and compares them as numbers); `node.type` is the column's or the bound value's kind.
   */
  comparable(w: SqlWriter, node: ExprNode): void {
    w.visit(node)
  }

  upsert(w: SqlWriter, node: InsertNode, conflict: OnConflictNode): void {
    w.write(' ON CONFLICT (').list(conflict.columns, (c) => w.id(c)).write(')')
    if (conflict.update.length === 0) {
      w.write(' DO NOTHING')
      return
    }
    w.write(' DO UPDATE SET ').list(conflict.update, (c) => w.id(c).write(' = excluded.').id(c))
  }

  returning(w: SqlWriter, columns: readonly string[]): void {
    w.write(' RETURNING ').list(columns, (c) => w.id(c))
  }

  /** An INSERT of a row with no explicit columns. */
  insertDefaultValues(): string {
    return ' DEFAULT VALUES'
  }

  lockClause(lock: 'update' | 'share'): string {
    return lock === 'update' ? ' FOR UPDATE' : ' FOR SHARE'
  }

  encodeValue(value: unknown, type?: ColumnKind): unknown {
    return this.codecs.encode(value, type)
  }
}

/** The buffer one compilation writes into. */
export class SqlWriter {
  sql = ''
  readonly params: unknown[] = []

  constructor(readonly compiler: SqlCompiler) {}

  write(text: string): this {
    this.sql += text
    return this
  }

  id(name: string): this {
    this.sql += this.compiler.quoted(name)
    return this
  }

  param(value: unknown): this {
    this.params.push(value)
    this.sql += this.compiler.placeholder(this.params.length)
    return this
  }

  list<T>(items: readonly T[], each: (item: T, index: number) => void, separator = ', '): this {
    items.forEach((item, i) => {
      if (i > 0) this.sql += separator
      each(item, i)
    })
    return this
  }

  visit(node: AnyNode): this {
    const visitor = SqlWriter.visitors[node.kind] as (w: SqlWriter, node: AnyNode) => void
    visitor(this, node)
    return this
  }

  private nested(node: ExprNode): this {
    const needsParens = node.kind === 'And' || node.kind === 'Or'
    if (needsParens) this.write('(')
    this.visit(node)
    if (needsParens) this.write(')')
    return this
  }

  /** An operand whose value is compared: the compiler may convert it (SqlCompiler.comparable). */
  private compared(node: ExprNode): this {
    if (node.kind === 'And' || node.kind === 'Or') return this.nested(node)
    this.compiler.comparable(this, node)
    return this
  }

  /** One visitor per node kind, shared by every writer (a writer is made per compile). */
  private static readonly visitors: Visitors = {
    Column: (w, node) => {
      if (node.table) w.id(node.table).write('.')
      w.id(node.column)
    },
    Value: (w, node) => {
      w.param(node.value === null || node.value === undefined ? null : w.compiler.encodeValue(node.value, node.type))
    },
    Integer: (w, node) => {
      if (!Number.isSafeInteger(node.value) || node.value < 0) {
        throw new ValidationError(`Expected a non-negative safe integer, got ${String(node.value)}.`)
      }
      w.write(String(node.value))
    },
    Raw: (w, node) => w.raw(node),
    Binary: (w, node) => {
      const arithmetic = node.op === '+' || node.op === '-' || node.op === '*' || node.op === '/'
      if (arithmetic || node.op === 'like' || node.op === 'not like') {
        w.nested(node.left).write(` ${arithmetic ? node.op : node.op.toUpperCase()} `).nested(node.right)
      } else {
        w.compared(node.left).write(` ${node.op} `).compared(node.right)
      }
    },
    And: (w, node) => w.junction(node.items, ' AND ', true),
    Or: (w, node) => w.junction(node.items, ' OR ', false),
    Not: (w, node) => w.write('NOT (').visit(node.expr).write(')'),
    In: (w, node) => {
      const values = node.values
      if (Array.isArray(values) && values.length === 0) {
        w.visit({ kind: 'Constant', value: node.negate })
        return
      }
      if (node.left.length === 1) w.compared(node.left[0])
      else w.write('(').list(node.left, (e) => w.compared(e)).write(')')
      w.write(node.negate ? ' NOT IN (' : ' IN (')
      if (Array.isArray(values)) {
        w.list(values as readonly (readonly ExprNode[])[], (row) => {
          if (row.length === 1) w.compared(row[0])
          else w.write('(').list(row, (e) => w.compared(e)).write(')')
        })
      } else {
        w.visit(values as SelectNode)
      }
      w.write(')')
    },
    IsNull: (w, node) => w.nested(node.expr).write(node.negate ? ' IS NOT NULL' : ' IS NULL'),
    Between: (w, node) => {
      w.compared(node.expr).write(node.negate ? ' NOT BETWEEN ' : ' BETWEEN ')
      w.compared(node.low).write(' AND ').compared(node.high)
    },
    Exists: (w, node) => w.write(node.negate ? 'NOT EXISTS (' : 'EXISTS (').visit(node.query).write(')'),
    Function: (w, node) => {
      w.write(node.name.toUpperCase()).write('(')
      if (node.distinct) w.write('DISTINCT ')
      const ordered = node.name === 'min' || node.name === 'max'
      w.list(node.args, (a) => (ordered ? w.compared(a) : w.visit(a))).write(')')
    },
    Star: (w, node) => {
      if (node.table) w.id(node.table).write('.')
      w.write('*')
    },
    Subquery: (w, node) => w.write('(').visit(node.query).write(')'),
    Alias: (w, node) => w.visit(node.expr).write(' AS ').id(node.alias),
    RowNumber: (w, node) => {
      w.write('ROW_NUMBER() OVER (')
      if (node.partitionBy.length) w.write('PARTITION BY ').list(node.partitionBy, (e) => w.visit(e))
      if (node.orderBy.length) {
        if (node.partitionBy.length) w.write(' ')
        w.write('ORDER BY ').list(node.orderBy, (o) => w.visit(o))
      }
      w.write(')')
    },
    Constant: (w, node) => w.write(node.value ? '1 = 1' : '1 = 0'),
    Table: (w, node) => w.table(node),
    DerivedTable: (w, node) => w.write('(').visit(node.query).write(') AS ').id(node.alias),
    Join: (w, node) => w.join(node),
    Order: (w, node) => w.compiler.orderItem(w, node),
    Select: (w, node) => w.select(node),
    Insert: (w, node) => w.insert(node),
    Update: (w, node) => w.update(node),
    Delete: (w, node) => w.delete(node),
  }

  private junction(items: readonly ExprNode[], separator: string, emptyValue: boolean): void {
    if (items.length === 0) {
      this.visit({ kind: 'Constant', value: emptyValue })
      return
    }
    this.list(items, (item) => this.nested(item), separator)
  }

  private raw(node: RawNode): void {
    node.parts.forEach((part, i) => {
      this.write(part)
      if (i < node.values.length) {
        this.visit(node.values[i])
      }
    })
  }

  private table(node: TableNode | DerivedTableNode): void {
    if (node.kind === 'DerivedTable') {
      this.visit(node)
      return
    }
    this.id(node.name)
    if (node.alias && node.alias !== node.name) this.write(' AS ').id(node.alias)
  }

  private join(node: JoinNode): void {
    this.write(node.type === 'left' ? ' LEFT JOIN ' : ' INNER JOIN ')
    this.table(node.table)
    this.write(' ON ').visit(node.on)
  }

  private select(node: SelectNode): void {
    this.write(node.distinct ? 'SELECT DISTINCT ' : 'SELECT ')
    this.list(node.columns, (col) => this.visit(col))
    this.write(' FROM ')
    this.table(node.from)
    for (const join of node.joins ?? []) this.visit(join)
    if (node.where) this.write(' WHERE ').visit(node.where)
    if (node.groupBy?.length) this.write(' GROUP BY ').list(node.groupBy, (e) => this.visit(e))
    if (node.having) this.write(' HAVING ').visit(node.having)
    if (node.orderBy?.length) this.write(' ORDER BY ').list(node.orderBy, (o) => this.visit(o))
    this.compiler.limitOffset(this, node)
    if (node.lock) this.write(this.compiler.lockClause(node.lock))
  }

  private insert(node: InsertNode): void {
    this.write('INSERT INTO ').id(node.table.name)
    if (node.columns.length === 0) {
      this.write(this.compiler.insertDefaultValues())
    } else {
      this.write(' (').list(node.columns, (c) => this.id(c)).write(') VALUES ')
      this.list(node.rows, (row) => {
        this.write('(').list(row, (v) => this.visit(v)).write(')')
      })
    }
    if (node.onConflict) this.compiler.upsert(this, node, node.onConflict)
    if (node.returning?.length) this.compiler.returning(this, node.returning)
  }

  private update(node: UpdateNode): void {
    this.write('UPDATE ').id(node.table.name).write(' SET ')
    this.list(node.set, (s) => this.id(s.column).write(' = ').visit(s.value))
    if (node.where) this.write(' WHERE ').visit(node.where)
    if (node.returning?.length) this.compiler.returning(this, node.returning)
  }

  private delete(node: DeleteNode): void {
    this.write('DELETE FROM ').id(node.table.name)
    if (node.where) this.write(' WHERE ').visit(node.where)
    if (node.returning?.length) this.compiler.returning(this, node.returning)
  }
}
