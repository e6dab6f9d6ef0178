/** Runs every page on one dialect, when the environment has it (see src/databases.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { plan, Server, setServer, type DialectName } from '../src/databases.js'
import { PAGES } from '../src/pages.js'
import { runPage } from '../src/run-page.js'

export function runPages(name: DialectName): void {
  const target = plan().run.find((t) => t.name === name)
  describe.skipIf(!target)(`docs on ${name}`, () => {
    let server: Server | undefined
    beforeAll(async () => {
      if (!target?.url || target.name === 'sqlite') return
      server = new Server(target.name, target.url)
      await server.prepare()
      setServer(server)
    })
    afterAll(async () => {
      setServer(undefined)
      await server?.close()
    })

    it.each(Object.keys(PAGES))('%s', async (page) => {
      try {
        const { script, partsRun, checksRun } = await runPage(page, name)
        const rule = PAGES[page]
        console.log(
          `${page} on ${name}: ${script.blocks} blocks ran, ${checksRun} checks passed` +
            (script.skipped.length ? `, ${script.skipped.length} skipped` : '') +
            (script.excerpts.length ? `, ${script.excerpts.length} excerpts` : ''),
        )
        expect(partsRun, 'every part ran').toBe(script.parts.length)
        expect(checksRun, 'every // => check ran').toBe(script.checks)
        expect(script.blocks, 'blocks run').toBeGreaterThanOrEqual(rule.blocks)
        expect(checksRun, '// => checks').toBeGreaterThanOrEqual(rule.checks)
      } finally {
        await server?.endPage()
      }
    })
  })
}
