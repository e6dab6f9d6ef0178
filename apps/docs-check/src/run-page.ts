/**
 * Runs one page on one dialect: builds its module (script.ts), writes it under .generated/<dialect>/<page>/,
 * imports it (vitest transforms the TypeScript, and the `@orm/*` imports resolve to the built packages), and
 * reports what ran. A failure is rethrown with the page line it came from.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { DialectName } from './databases.js'
import { parseMarkdown, RUNNABLE, type Item } from './markdown.js'
import { CheckError, resetState, state } from './runtime.js'
import { buildScript, type Origin, type PageScript } from './script.js'

export const packageDir = fileURLToPath(new URL('..', import.meta.url))
export const repoDir = resolve(packageDir, '../..')

const cache = new Map<string, Item[]>()

/** The items of a page, by its path from the repository root. */
export function pageItems(page: string): Item[] {
  let items = cache.get(page)
  if (!items) {
    items = parseMarkdown(readFileSync(join(repoDir, page), 'utf8'), page)
    cache.set(page, items)
  }
  return items
}

/** README.md and every docs/*.md page that has a ```ts block. */
export function pagesWithExamples(): string[] {
  const docs = readdirSync(join(repoDir, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)
  return ['README.md', ...docs].filter((page) => pageItems(page).some((item) => item.kind === 'block' && RUNNABLE.has(item.lang)))
}

const importPath = (from: string, to: string) => {
  const path = relative(from, to).replace(/\\/g, '/').replace(/\.ts$/, '.js')
  return path.startsWith('.') ? path : './' + path
}

export function pageScript(page: string, dialect: DialectName, dir: string): PageScript {
  return buildScript({
    file: page,
    items: pageItems(page),
    resolvePage: (target) => {
      const file = relative(repoDir, join(repoDir, dirname(page), target)).replace(/\\/g, '/')
      return { file, items: pageItems(file) }
    },
    resolveSetup: (target) => {
      const file = relative(repoDir, join(packageDir, target)).replace(/\\/g, '/')
      return { file, code: readFileSync(join(repoDir, file), 'utf8') }
    },
    specifiers: {
      'docs-check': importPath(dir, join(packageDir, 'src/runtime.ts')),
      ...(dialect === 'sqlite' ? {} : { '@orm/sqlite': importPath(dir, join(packageDir, 'src/as-sqlite.ts')) }),
    },
    runtime: importPath(dir, join(packageDir, 'src/runtime.ts')),
  })
}

export interface PageResult {
  readonly script: PageScript
  /** Parts (blocks, hidden and included code) that started, and `// =>` checks that passed. */
  readonly partsRun: number
  readonly checksRun: number
}

/** Writes the page's module and its files to .generated/<folder>/<page>/; returns the module's path. */
export function writePage(page: string, dialect: DialectName, folder: string = dialect): { script: PageScript; path: string } {
  const dir = join(packageDir, '.generated', folder, page.replace(/\.md$/, '').replace(/[/\\]/g, '-'))
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const script = pageScript(page, dialect, dir)
  for (const [name, source] of script.files) writeFileSync(join(dir, name), source)
  const path = join(dir, 'page.ts')
  writeFileSync(path, script.source)
  return { script, path }
}

export async function runPage(page: string, dialect: DialectName): Promise<PageResult> {
  const { script, path } = writePage(page, dialect)
  resetState()
  const cwd = process.cwd()
  // A relative SQLite file name ('app.db') lands next to the generated module.
  process.chdir(dirname(path))
  try {
    await import(pathToFileURL(path).href)
  } catch (error) {
    throw located(error, script)
  } finally {
    process.chdir(cwd)
  }
  return { script, partsRun: state().part, checksRun: state().checks }
}

/** The error, its message prefixed with the page line it came from (from its stack, else the part that ran). */
function located(error: unknown, script: PageScript): Error {
  // The stack (a run-time error) or the message (a syntax error) names a line of page.ts.
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : ''
  let origin: Origin | undefined
  for (const m of text.matchAll(/page\.ts:(\d+)/g)) {
    origin = script.lineMap[Number(m[1]) - 1]
    if (origin) break
  }
  origin ??= script.parts[state().part]
  const where = error instanceof CheckError && error.where ? error.where : origin ? `${origin.file}:${origin.line}` : 'the page module'
  const name = error instanceof Error ? error.name : 'Error'
  const message = error instanceof Error ? error.message : String(error)
  const result = new Error(`${where}: ${name}: ${message}`, { cause: error })
  if (error instanceof Error && error.stack) result.stack = `${result.message}\n${error.stack.split('\n').slice(1).join('\n')}`
  return result
}
