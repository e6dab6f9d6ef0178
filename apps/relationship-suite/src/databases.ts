/**
 * Where each database comes from: a URL from the environment (ORM_TEST_PG_URL / ORM_TEST_MYSQL_URL /
 * ORM_TEST_MARIADB_URL), else a testcontainers container when a Docker engine is reachable, else nothing (the
 * dialect is skipped and the run says so). ORM_TEST_REQUIRE=sqlite,pg,mysql turns a skip into a failure, for CI.
 * ORM_TEST_DATABASES=pg,mariadb runs only those (a CI matrix job runs one database each); default: all.
 */
import { execFileSync } from 'node:child_process'

export type DatabaseName = 'pg' | 'mysql' | 'mariadb'
export type DialectName = 'sqlite' | DatabaseName

export const DATABASES: readonly DatabaseName[] = ['pg', 'mysql', 'mariadb']

const ENV: Record<DatabaseName, string> = { pg: 'ORM_TEST_PG_URL', mysql: 'ORM_TEST_MYSQL_URL', mariadb: 'ORM_TEST_MARIADB_URL' }

/** The image a container is started from when there is no URL; each can be changed by its variable. */
export const IMAGES: Record<DatabaseName, { variable: string; fallback: string }> = {
  pg: { variable: 'PG_IMAGE', fallback: 'postgres:16-alpine' },
  mysql: { variable: 'MYSQL_IMAGE', fallback: 'mysql:8.4' },
  mariadb: { variable: 'MARIADB_IMAGE', fallback: 'mariadb:10.11' },
}

export function imageFor(name: DatabaseName): string {
  return process.env[IMAGES[name].variable] || IMAGES[name].fallback
}

export function urlFromEnv(name: DatabaseName): string | undefined {
  return process.env[ENV[name]] || undefined
}

/** Whether this run includes a dialect (ORM_TEST_DATABASES, default every one). */
export function selected(name: DialectName): boolean {
  const list = (process.env.ORM_TEST_DATABASES ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  return list.length === 0 || list.includes(name)
}

export function dockerAvailable(): boolean {
  if (process.env.ORM_TEST_NO_DOCKER) return false
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 })
    return true
  } catch {
    return false
  }
}

export function required(): Set<string> {
  return new Set((process.env.ORM_TEST_REQUIRE ?? '').split(',').map((s) => s.trim()).filter(Boolean))
}

export { ENV as ENV_VARS }
