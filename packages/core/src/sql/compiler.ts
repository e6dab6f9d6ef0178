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

type Visitors = { [K in NodeKind]: (node: Extract<AnyNode, { kind: K }>) => void }

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
  private readonly visitors: Visitors

  constructor(readonly compiler: SqlCompiler) {
    this.visitors = this.makeVisitors()
  }

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
    const visitor = this.visitors[node.kind] as (node: AnyNode) => void
    visitor(node)
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

  private makeVisitors(): Visitors {
    const c = this.compiler
    return {
      Column: (node) => {
        if (node.table) this.id(node.table).write('.')
        this.id(node.column)
      },
      Value: (node) => {
        this.param(node.value === null || node.value === undefined ? null : c.encodeValue(node.value, node.type))
      },
      Integer: (node) => {
        if (!Number.isSafeInteger(node.value) || node.value < 0) {
          throw new ValidationError(`Expected a non-negative safe integer, got ${String(node.value)}.`)
        }
        this.write(String(node.value))
      },
      Raw: (node) => this.raw(node),
      Binary: (node) => {
        const arithmetic = node.op === '+' || node.op === '-' || node.op === '*' || node.op === '/'
        if (arithmetic || node.op === 'like' || node.op === 'not like') {
          this.nested(node.left).write(` ${arithmetic ? node.op : node.op.toUpperCase()} `).nested(node.right)
        } else {
          this.compared(node.left).write(` ${node.op} `).compared(node.right)
        }
      },
      And: (node) => this.junction(node.items, ' AND ', true),
      Or: (node) => this.junction(node.items, ' OR ', false),
      Not: (node) => this.write('NOT (').visit(node.expr).write(')'),
      In: (node) => {
        const values = node.values
        if (Array.isArray(values) && values.length === 0) {
          this.visit({ kind: 'Constant', value: node.negate })
          return
        }
        if (node.left.length === 1) this.compared(node.left[0])
        else this.write('(').list(node.left, (e) => this.compared(e)).write(')')
        this.write(node.negate ? ' NOT IN (' : ' IN (')
        if (Array.isArray(values)) {
          this.list(values as readonly (readonly ExprNode[])[], (row) => {
            if (row.length === 1) this.compared(row[0])
            else this.write('(').list(row, (e) => this.compared(e)).write(')')
          })
        } else {
          this.visit(values as SelectNode)
        }
        this.write(')')
      },
      IsNull: (node) => this.nested(node.expr).write(node.negate ? ' IS NOT NULL' : ' IS NULL'),
      Between: (node) => {
        this.compared(node.expr).write(node.negate ? ' NOT BETWEEN ' : ' BETWEEN ')
        this.compared(node.low).write(' AND ').compared(node.high)
      },
      Exists: (node) => this.write(node.negate ? 'NOT EXISTS (' : 'EXISTS (').visit(node.query).write(')'),
      Function: (node) => {
        this.write(node.name.toUpperCase()).write('(')
        if (node.distinct) this.write('DISTINCT ')
        const ordered = node.name === 'min' || node.name === 'max'
        this.list(node.args, (a) => (ordered ? this.compared(a) : this.visit(a))).write(')')
      },
      Star: (node) => {
        if (node.table) this.id(node.table).write('.')
        this.write('*')
      },
      Subquery: (node) => this.write('(').visit(node.query).write(')'),
      Alias: (node) => this.visit(node.expr).write(' AS ').id(node.alias),
      RowNumber: (node) => {
        this.write('ROW_NUMBER() OVER (')
        if (node.partitionBy.length) this.write('PARTITION BY ').list(node.partitionBy, (e) => this.visit(e))
        if (node.orderBy.length) {
          if (node.partitionBy.length) this.write(' ')
          this.write('ORDER BY ').list(node.orderBy, (o) => this.visit(o))
        }
        this.write(')')
      },
      Constant: (node) => this.write(node.value ? '1 = 1' : '1 = 0'),
      Table: (node) => this.table(node),
      DerivedTable: (node) => this.write('(').visit(node.query).write(') AS ').id(node.alias),
      Join: (node) => this.join(node),
      Order: (node) => c.orderItem(this, node),
      Select: (node) => this.select(node),
      Insert: (node) => this.insert(node),
      Update: (node) => this.update(node),
      Delete: (node) => this.delete(node),
    }
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
