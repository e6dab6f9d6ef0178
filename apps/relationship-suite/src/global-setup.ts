import type { TestProject } from 'vitest/node'
import { dockerAvailable, ENV_VARS, required, urlFromEnv, type DatabaseName } from './databases.js'

type Stoppable = { stop(): Promise<unknown> }
const started: Stoppable[] = []

/**
 * Starts a container for each database that has no URL, when Docker is there, and hands the URLs to the
 * test files. MySQL_IMAGE / PG_IMAGE pick the images (CI runs mysql:8.0, mysql:8.4, mariadb and postgres:16).
 */
export async function setup(project: TestProject) {
  const docker = dockerAvailable()
  const sources: Record<string, string> = {}
  for (const name of ['pg', 'mysql'] as DatabaseName[]) {
    let url = urlFromEnv(name)
    let source = url ? 'env' : 'none'
    if (!url && docker) {
      url = await startContainer(name)
      source = 'container'
    }
    if (url) process.env[ENV_VARS[name]] = url
    sources[name] = source
  }
  project.provide('databaseSources', sources)
  const missing = (['pg', 'mysql'] as const).filter((n) => sources[n] === 'none')
  if (missing.length) {
    const message = `relationship-suite: skipping ${missing.join(', ')}: set ${missing.map((m) => ENV_VARS[m]).join(' / ')} or start a Docker engine.`
    if (missing.some((m) => required().has(m))) throw new Error(message + ' (required by ORM_TEST_REQUIRE)')
    console.warn(message)
  }
}

export async function teardown() {
  await Promise.all(started.map((c) => c.stop()))
}

async function startContainer(name: DatabaseName): Promise<string> {
  if (name === 'pg') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer(process.env.PG_IMAGE ?? 'postgres:16-alpine').start()
    started.push(container)
    return container.getConnectionUri()
  }
  const image = process.env.MYSQL_IMAGE ?? 'mysql:8.4'
  if (image.startsWith('mariadb')) {
    const { MariaDbContainer } = await import('@testcontainers/mariadb')
    const container = await new MariaDbContainer(image).withRootPassword('test').start()
    started.push(container)
    return `mysql://root:test@${container.getHost()}:${container.getMappedPort(3306)}/${container.getDatabase()}`
  }
  const { MySqlContainer } = await import('@testcontainers/mysql')
  const container = await new MySqlContainer(image).withRootPassword('test').start()
  started.push(container)
  return `mysql://root:test@${container.getHost()}:${container.getMappedPort(3306)}/${container.getDatabase()}`
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseSources: Record<string, string>
  }
}
