import { SqlCompiler, type OrderNode, type SqlWriter } from '@orm/core'

/** PostgreSQL SQL: `$n` placeholders, `LIMIT ALL`, and NULL sorted as the smallest value (as on MySQL and SQLite). */
export class PgCompiler extends SqlCompiler {
  override placeholder(index: number): string {
    return '$' + index
  }

  override noLimit(): string {
    return 'ALL'
  }

  override orderItem(w: SqlWriter, node: OrderNode): void {
    super.orderItem(w, node)
    if (node.nullable) w.write(node.direction === 'desc' ? ' NULLS LAST' : ' NULLS FIRST')
  }
}
