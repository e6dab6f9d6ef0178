/**
 * Reads a markdown page into what the doc-test needs: its fenced code blocks, the `doctest` markers before
 * them, the hidden `doctest-code` comments, `doctest-include` lines, and the heading each one sits under.
 * The markers are described in apps/docs-check/README.md.
 */

export type Marker =
  | { readonly action: 'skip'; readonly reason: string }
  | { readonly action: 'scoped'; readonly reason: string }
  | { readonly action: 'excerpt'; readonly path: string }

export interface CodeBlock {
  readonly kind: 'block'
  readonly lang: string
  readonly code: string
  /** The 1-based line of the first line of code (the line after the opening fence). */
  readonly line: number
  readonly marker?: Marker
  /** The anchor of the heading the block is under (GitHub's slug). */
  readonly section: string
}

/** `<!-- doctest-code ... -->`: code that runs in place but is not shown on the rendered page. */
export interface HiddenCode {
  readonly kind: 'hidden'
  readonly code: string
  readonly line: number
  readonly section: string
}

/** `<!-- doctest-include: setup/blog-data.ts -->`: the code of a setup file of apps/docs-check, in place. */
export interface Include {
  readonly kind: 'include'
  readonly targets: readonly string[]
  readonly line: number
  readonly section: string
}

/**
 * `<!-- doctest-import: { db, schema } from relationships.md#the-example-schema -->`: the ```ts blocks of that
 * section of a page, as a module of their own, imported like the page's prose assumes.
 */
export interface Import {
  readonly kind: 'import'
  readonly names: string
  readonly target: string
  readonly line: number
  readonly section: string
}

export type Item = CodeBlock | HiddenCode | Include | Import

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

const FENCE = /^(\s*)(`{3,})(\S*)\s*$/
const MARKER = /^<!-- doctest: (skip|scoped|excerpt)\s*(.*?)\s*-->$/
const INCLUDE = /^<!-- doctest-include: (.+?) -->$/
const IMPORT = /^<!-- doctest-import: (\{[^}]*\}) from (\S+) -->$/
const HIDDEN = /^<!-- doctest-code\s*$/

function parseMarker(action: string, arg: string, where: string): Marker {
  if (action === 'excerpt') {
    if (!arg) throw new Error(`${where}: "doctest: excerpt" needs the path of the file the block is taken from`)
    return { action, path: arg }
  }
  const reason = /^\((.+)\)$/.exec(arg)?.[1]
  if (!reason) throw new Error(`${where}: "doctest: ${action}" needs a reason in parentheses, e.g. <!-- doctest: ${action} (why) -->`)
  return { action: action as 'skip' | 'scoped', reason }
}

export function parseMarkdown(text: string, file: string): Item[] {
  const lines = text.split('\n')
  const items: Item[] = []
  let section = ''
  let pending: { marker: Marker; line: number } | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const where = `${file}:${i + 1}`
    const fence = FENCE.exec(line)
    if (fence) {
      const [, indent, ticks, lang] = fence
      const start = i + 1
      const body: string[] = []
      for (i++; i < lines.length && !(lines[i].startsWith(indent + ticks) && lines[i].trim() === ticks); i++) {
        body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i])
      }
      if (i >= lines.length) throw new Error(`${where}: code block never closed`)
      items.push({ kind: 'block', lang, code: body.join('\n') + '\n', line: start + 1, marker: pending?.marker, section })
      pending = undefined
      continue
    }
    const trimmed = line.trim()
    if (pending && trimmed !== '') {
      throw new Error(`${file}:${pending.line}: a doctest marker must come right before a code block`)
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line)
    if (heading) section = slug(heading[1])
    const marker = MARKER.exec(trimmed)
    if (marker) pending = { marker: parseMarker(marker[1], marker[2], where), line: i + 1 }
    const include = INCLUDE.exec(trimmed)
    if (include) items.push({ kind: 'include', targets: include[1].split(/\s+/), line: i + 1, section })
    const imported = IMPORT.exec(trimmed)
    if (imported) items.push({ kind: 'import', names: imported[1], target: imported[2], line: i + 1, section })
    if (HIDDEN.test(trimmed)) {
      const start = i + 1
      const body: string[] = []
      for (i++; i < lines.length && lines[i].trim() !== '-->'; i++) body.push(lines[i])
      if (i >= lines.length) throw new Error(`${where}: doctest-code comment never closed`)
      items.push({ kind: 'hidden', code: body.join('\n') + '\n', line: start + 1, section })
    } else if (trimmed.startsWith('<!-- doctest') && !marker && !include && !imported) {
      throw new Error(`${where}: unknown doctest comment: ${trimmed}`)
    }
  }
  if (pending) throw new Error(`${file}:${pending.line}: a doctest marker must come right before a code block`)
  return items
}

export const RUNNABLE = new Set(['ts', 'typescript'])
