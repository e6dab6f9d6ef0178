import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDb, type AnySchema } from '@orm/core'
import { createJiti } from 'jiti'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeSchema, pullSchema } from './fixtures.js'
import { announceSkips, cli, configFile, targets, tempDir, write } from './helpers.js'
import { typecheck } from './typecheck.js'

announceSkips('pull-roundtrip.test.ts')

for (const target of targets) {
  describe.skipIf(!!target.skip)(`orm pull round-trip on ${target.name}`, () => {
    const tmp = tempDir(`pull-${target.name}`)

    beforeAll(async () => {
      write(join(tmp.dir, 'orm.config.ts'), configFile(target, tmp.dir))
      const db = createDb({ schema: pullSchema, dialect: target.dialect(tmp.dir) })
      await db.schema.drop()
      await db.schema.create()
      await db.close()
    })

    afterAll(async () => {
      const db = createDb({ schema: pullSchema, dialect: target.dialect(tmp.dir) })
      await db.schema.drop()
      await db.close()
      tmp.remove()
    })

    it('writes a schema file that type-checks and describes the same schema db.schema.create() made', async () => {
      const result = await cli(tmp.dir, 'pull', '--tables', 'cli_pull_*', '--out', 'schema.ts')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toBe('Wrote schema.ts: 7 tables, 18 relations.\n')

      const file = join(tmp.dir, 'schema.ts')
      expect(typecheck(file)).toEqual([])

      const jiti = createJiti(file, { moduleCache: false, fsCache: false })
      const pulled = (await jiti.import<{ schema: AnySchema }>(file)).schema
      const expected = describeSchema(pullSchema) as Record<string, { columns: object; relations: object }>
      expect(Object.keys(expected.cliPullUsers.columns)).toHaveLength(16)
      expect(Object.keys(expected.cliPullUsers.relations)).toHaveLength(7)
      expect(describeSchema(pulled)).toEqual(expected)
      expect(readFileSync(file, 'utf8')).toContain(`from ${target.name === 'pg' ? 'postgresql' : target.name}`)
    })

    it('the pulled schema reads and writes the database, relations included', async () => {
      const file = join(tmp.dir, 'schema.ts')
      const jiti = createJiti(file, { moduleCache: false, fsCache: false })
      const pulled = (await jiti.import<{ schema: AnySchema }>(file)).schema
      const db = createDb({ schema: pulled, dialect: target.dialect(tmp.dir) }) as any
      try {
        const ann = await db.cliPullUsers.create({
          name: 'Ann', email: 'ann@x', token: '00000000-0000-4000-8000-000000000001',
          cliPullPostsAsAuthor: [{ title: 'Hello', slug: 'hello', cliPullTags: [{ name: 'intro' }] }],
          cliPullProfile: { website: 'https://ann.example' },
        })
        const [user] = await db.cliPullUsers.query().where('id', ann.id)
          .with('cliPullPostsAsAuthor.cliPullTags', 'cliPullProfile').withCount('cliPullPostsAsAuthor').get()
        expect(user.role).toBe('member')
        expect(user.settings).toEqual({ theme: 'dark' })
        expect(user.cliPullProfile.website).toBe('https://ann.example')
        expect(user.cliPullPostsAsAuthorCount).toBe(1)
        expect(user.cliPullPostsAsAuthor[0].cliPullTags.map((t: { name: string }) => t.name)).toEqual(['intro'])
        expect(user.cliPullPostsAsAuthor[0].cliPullTags[0].pivot).toEqual({ position: 0 })
      } finally {
        await db.close()
      }
    })
  })
}
