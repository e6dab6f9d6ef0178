import { col, type AnyColumn, type ColumnDefinitionNode } from '@orm/core'

/** mysql://root@127.0.0.1:3306/test; database tests are skipped without it. */
export const url = process.env.ORM_TEST_MYSQL_URL

export function announceSkip(file: string): void {
  if (!url) console.log(`${file}: ORM_TEST_MYSQL_URL is not set, skipping the MySQL/MariaDB database tests`)
}

export function column(name: string, builder: AnyColumn): ColumnDefinitionNode {
  return { name, kind: builder.config.kind, config: builder.config }
}

export { col }
