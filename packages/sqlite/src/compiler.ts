import { SqlCompiler, type ExprNode, type SqlWriter } from '@orm/core'

/**
 * The base compiler already speaks SQLite (double-quoted identifiers, `?`, `LIMIT -1 OFFSET n`,
 * ON CONFLICT ... excluded, RETURNING); only row locks and the comparison of decimals differ.
 */
export class SqliteCompiler extends SqlCompiler {
  // SQLite has no row locks: a write transaction (BEGIN IMMEDIATE) already excludes every other writer.
  override lockClause(_lock: 'update' | 'share'): string {
    return ''
  }

  // Decimals are text here (every digit kept), and text compares character by character: '10.00' < '9.99'.
  // Compared, ordered and in MIN/MAX they are numbers, as on the other databases (exact to 15 digits).
  override comparable(w: SqlWriter, node: ExprNode): void {
    if ((node.kind === 'Column' || node.kind === 'Value') && node.type === 'decimal') w.write('CAST(').visit(node).write(' AS REAL)')
    else w.visit(node)
  }
}
