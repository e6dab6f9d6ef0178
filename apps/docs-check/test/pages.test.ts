/**
 * What holds for the pages whatever the database: every page with TypeScript examples is run, required
 * dialects are there, every example type-checks, and excerpts still match their files.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { plan } from '../src/databases.js'
import { missingLines } from '../src/excerpt.js'
import { ELSEWHERE, PAGES } from '../src/pages.js'
import { packageDir, pageScript, pagesWithExamples, repoDir } from '../src/run-page.js'
import { typecheckPages } from '../src/typecheck.js'

const pages = Object.keys(PAGES)

describe('docs-check', () => {
  it('covers every page with TypeScript examples', () => {
    const found = pagesWithExamples().filter((page) => !(page in ELSEWHERE))
    expect(found.sort()).toEqual([...pages].sort())
  })

  it('runs every required dialect', () => {
    const { missing, skipped } = plan()
    if (skipped.length) console.warn(`docs-check: not run: ${skipped.join('; ')}`)
    expect(missing, 'required by ORM_TEST_REQUIRE').toEqual([])
  })

  it('type-checks every example', () => {
    expect(typecheckPages(pages)).toEqual([])
  })

  it.each(pages.filter((page) => PAGES[page].excerpts))('%s: excerpts match their files', (page) => {
    const script = pageScript(page, 'sqlite', join(packageDir, '.generated'))
    expect(script.excerpts.length).toBeGreaterThanOrEqual(PAGES[page].excerpts ?? 0)
    for (const excerpt of script.excerpts) {
      const source = readFileSync(join(repoDir, excerpt.path), 'utf8')
      expect(missingLines(excerpt.code, source), `${page}:${excerpt.line}: lines not in ${excerpt.path}`).toEqual([])
    }
  })
})
