/**
 * Where each database comes from: a URL from the environment (ORM_TEST_PG_URL / ORM_TEST_MYSQL_URL),
 * else a testcontainers container when a Docker engine is reachable, else nothing (the dialect is skipped
 * and the report says so). ORM_TEST_REQUIRE=sqlite,pg,mysql turns a skip into a failure, for CI.
 */
import { execFileSync } from 'node:child_process'

export type DatabaseName = 'pg' | 'mysql'

export interface DatabaseSource {
  url?: string
  source: 'env' | 'container' | 'none'
  reason?: string
}

const ENV: Record<DatabaseName, string> = { pg: 'ORM_TEST_PG_URL', mysql: 'ORM_TEST_MYSQL_URL' }

export function urlFromEnv(name: DatabaseName): string | undefined {
  return process.env[ENV[name]] || undefined
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
