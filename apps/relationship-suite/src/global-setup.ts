import type { TestProject } from 'vitest/node'
import { DATABASES, dockerAvailable, ENV_VARS, imageFor, required, selected, urlFromEnv, type DatabaseName } from './databases.js'

type Stoppable = { stop(): Promise<unknown> }
const started: Stoppable[] = []

/**
 * For each selected database without a URL, starts a container when Docker is there (postgres:16, mysql:8.4 and
 * mariadb:10.11 unless PG_IMAGE / MYSQL_IMAGE / MARIADB_IMAGE say otherwise) and hands its URL to the test files
 * through the environment. A required database (ORM_TEST_REQUIRE) that cannot be had fails the run.
 */
export async function setup(project: TestProject) {
  const wanted = DATABASES.filter((name) => selected(name))
  const docker = wanted.some((name) => !urlFromEnv(name)) && dockerAvailable()
  const sources: Record<string, string> = {}
  try {
    // One at a time: three database containers starting at once slow each other past their start-up timeouts.
    for (const name of wanted) {
      let url = urlFromEnv(name)
      let source = url ? 'env' : 'none'
      if (!url && docker) {
        url = await startContainer(name)
        source = `container ${imageFor(name)}`
      }
      if (url) process.env[ENV_VARS[name]] = url
      sources[name] = source
    }
  } catch (error) {
    await teardown()
    throw error
  }
  project.provide('databaseSources', sources)
  for (const [name, source] of Object.entries(sources)) console.log(`relationship-suite: ${name} from ${source}`)
  const missing = wanted.filter((n) => sources[n] === 'none')
  const notSelected = [...required()].filter((n) => !selected(n as DatabaseName))
  if (notSelected.length) {
    throw new Error(`relationship-suite: ORM_TEST_REQUIRE names ${notSelected.join(', ')}, which ORM_TEST_DATABASES leaves out.`)
  }
  if (missing.length) {
    const message = `relationship-suite: skipping ${missing.join(', ')}: set ${missing.map((m) => ENV_VARS[m]).join(' / ')} or start a Docker engine.`
    if (missing.some((m) => required().has(m))) throw new Error(message + ' (required by ORM_TEST_REQUIRE)')
    console.warn(message)
  }
}

export async function teardown() {
  await Promise.all(started.splice(0).map((c) => c.stop()))
}

async function startContainer(name: DatabaseName): Promise<string> {
  const image = imageFor(name)
  if (name === 'pg') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer(image).start()
    started.push(container)
    return container.getConnectionUri()
  }
  if (name === 'mariadb') {
    const { MariaDbContainer } = await import('@testcontainers/mariadb')
    const container = await new MariaDbContainer(image).withRootPassword('test').start()
    started.push(container)
    return `mysql://root:test@${container.getHost()}:${container.getPort()}/${container.getDatabase()}`
  }
  const { MySqlContainer } = await import('@testcontainers/mysql')
  const container = await new MySqlContainer(image).withRootPassword('test').start()
  started.push(container)
  return `mysql://root:test@${container.getHost()}:${container.getPort()}/${container.getDatabase()}`
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseSources: Record<string, string>
  }
}
