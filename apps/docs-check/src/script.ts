/**
 * Turns the runnable code of one page into one TypeScript module, in page order:
 *
 * - every ```ts block that is not marked `skip` or `excerpt`, and every hidden `doctest-code` comment, runs in
 *   the module's top-level scope, so a later block sees what an earlier one declared;
 * - a block marked `scoped` runs inside `{ ... }` (it may redeclare a name, e.g. a second `db`);
 * - a block whose first line is `// <name>.ts` is that file, written next to the module (`./<name>.js` imports
 *   it), and imported for its effects;
 * - `<!-- doctest-import: { db, schema } from page.md#section -->` makes the unmarked ```ts blocks of that
 *   section of a page a module of their own and imports those names from it, as an application imports its
 *   schema module (the page's own names, `users` for rows, do not clash with the tables there);
 * - `<!-- doctest-include: setup/<name>.ts -->` runs the code of that file of apps/docs-check there (data
 *   several pages share);
 * - imports are hoisted and merged (ESM hoists them anyway), and `export` is dropped from declarations;
 * - a statement followed by `// => <expression>` (on its last line, or alone on the next line) is checked:
 *   its value (a declaration's: the declared name) must match the expression (see runtime.ts); a second
 *   ` // ` ends the expression and starts prose.
 *
 * Every line of the module remembers the page line it came from, so a failure is reported there.
 */
import ts from 'typescript'
import { RUNNABLE, type Item } from './markdown.js'

export interface Origin {
  readonly file: string
  readonly line: number
}

interface Part {
  readonly code: string
  readonly origin: Origin
  readonly scoped: boolean
  /** A block of the page itself (counted), or hidden / included code (not counted as a block). */
  readonly own: 'block' | 'hidden' | 'include'
}

export interface PageScript {
  /** The module's source. */
  readonly source: string
  /** Files a block declared (`// schema.ts`): name -> source. */
  readonly files: ReadonlyMap<string, string>
  /** For each line of `source` (index 0 = line 1), the page line it came from. */
  readonly lineMap: readonly (Origin | undefined)[]
  /** The page's own blocks that run (file blocks included), the skipped ones, and the `// =>` checks. */
  readonly blocks: number
  readonly skipped: readonly { readonly line: number; readonly reason: string }[]
  readonly excerpts: readonly { readonly line: number; readonly path: string; readonly code: string }[]
  readonly checks: number
  /** The origin of each part, in the order `at(i)` reports them. */
  readonly parts: readonly Origin[]
}

export interface ScriptOptions {
  readonly file: string
  readonly items: readonly Item[]
  /** The items of another page, for includes: (page path relative to this page) -> items and file name. */
  readonly resolvePage: (target: string) => { readonly file: string; readonly items: readonly Item[] }
  /** A setup file (`setup/<name>.ts` of apps/docs-check): its path from the repository root and its code. */
  readonly resolveSetup: (target: string) => { readonly file: string; readonly code: string }
  /** Module specifiers to replace (e.g. '@orm/sqlite' -> the stand-in of the dialect under test). */
  readonly specifiers: Readonly<Record<string, string>>
  /** The specifier of runtime.ts from the generated module. */
  readonly runtime: string
}

const FILE_BLOCK = /^\/\/ ([\w.-]+)\.ts\s*$/

export function buildScript(options: ScriptOptions): PageScript {
  const { file, items } = options
  const parts: Part[] = []
  const files = new Map<string, string>()
  const skipped: { line: number; reason: string }[] = []
  const excerpts: { line: number; path: string; code: string }[] = []
  const fileImports: string[] = []
  const moduleImports: { text: string; where: string }[] = []
  let blocks = 0
  for (const item of items) {
    if (item.kind === 'include') {
      for (const target of item.targets) parts.push(...includedParts(target, options))
    } else if (item.kind === 'import') {
      const { name, source } = sectionModule(item.target, options)
      files.set(name, source)
      moduleImports.push({ text: `import ${item.names} from './${name.replace(/\.ts$/, '.js')}'`, where: `${file}:${item.line}` })
    } else if (item.kind === 'hidden') {
      parts.push({ code: item.code, origin: { file, line: item.line }, scoped: false, own: 'hidden' })
    } else if (RUNNABLE.has(item.lang)) {
      if (item.marker?.action === 'skip') {
        skipped.push({ line: item.line, reason: item.marker.reason })
        continue
      }
      if (item.marker?.action === 'excerpt') {
        excerpts.push({ line: item.line, path: item.marker.path, code: item.code })
        continue
      }
      blocks++
      const fileName = FILE_BLOCK.exec(item.code.split('\n')[0])?.[1]
      if (fileName) {
        if (item.code.includes('// =>')) throw new Error(`${file}:${item.line}: "// =>" checks are not supported in a file block`)
        files.set(`${fileName}.ts`, replaceSpecifiers(item.code, options.specifiers))
        fileImports.push(`import './${fileName}.js'`)
        continue
      }
      parts.push({ code: item.code, origin: { file, line: item.line }, scoped: item.marker?.action === 'scoped', own: 'block' })
    } else if (item.marker && item.marker.action !== 'skip') {
      throw new Error(`${file}:${item.line}: "doctest: ${item.marker.action}" on a ${item.lang || 'plain'} block, which never runs`)
    }
  }

  const imports = new Imports(options.specifiers)
  for (const { text, where } of moduleImports) {
    const node = ts.createSourceFile('import.ts', text, ts.ScriptTarget.Latest, true).statements[0]
    if (!node || !ts.isImportDeclaration(node)) throw new Error(`${where}: not an import: ${text}`)
    imports.add(node, where)
  }
  const out: string[] = []
  const lineMap: (Origin | undefined)[] = []
  const body: string[] = []
  const bodyMap: (Origin | undefined)[] = []
  let checks = 0
  parts.forEach((part, index) => {
    const rewritten = rewritePart(part, imports)
    if (part.own !== 'include') checks += rewritten.checks
    const lines = rewritten.code.replace(/\n$/, '').split('\n')
    body.push(`__at(${index})${part.scoped ? '; {' : ''}`)
    bodyMap.push(part.origin)
    lines.forEach((text, k) => {
      body.push(text)
      bodyMap.push({ file: part.origin.file, line: part.origin.line + k })
    })
    if (part.scoped) {
      body.push('}')
      bodyMap.push(part.origin)
    }
  })
  for (const line of [...imports.render(), ...fileImports, `import { at as __at, check as __check } from '${options.runtime}'`]) {
    out.push(line)
    lineMap.push(undefined)
  }
  out.push(...body, `__at(${parts.length})`, 'export {}')
  lineMap.push(...bodyMap, undefined, undefined)
  return {
    source: out.join('\n') + '\n',
    files,
    lineMap,
    blocks,
    skipped,
    excerpts,
    checks,
    parts: parts.map((p) => p.origin),
  }
}

function includedParts(target: string, options: ScriptOptions): Part[] {
  if (!target.startsWith('setup/')) throw new Error(`${options.file}: doctest-include takes setup/<name>.ts files, not "${target}"`)
  const { file, code } = options.resolveSetup(target)
  return [{ code, origin: { file, line: 1 }, scoped: false, own: 'include' }]
}

/** The unmarked ```ts blocks of `page.md#anchor`, as the source of a module, and the module's file name. */
function sectionModule(target: string, options: ScriptOptions): { name: string; source: string } {
  const [page, anchor] = target.split('#')
  if (!anchor) throw new Error(`${options.file}: doctest-import from "${target}" needs a section: page.md#anchor`)
  const { items } = options.resolvePage(page)
  const blocks = items.filter((item) => item.kind === 'block' && item.section === anchor && RUNNABLE.has(item.lang) && !item.marker)
  if (blocks.length === 0) throw new Error(`${options.file}: doctest-import from "${target}": no ts block in that section`)
  const source = blocks.map((block) => (block as { code: string }).code).join('\n')
  return { name: `${page.replace(/\.md$/, '').replace(/\W/g, '-')}-${anchor}.ts`, source: replaceSpecifiers(source, options.specifiers) }
}

function replaceSpecifiers(code: string, specifiers: Readonly<Record<string, string>>): string {
  let result = code
  for (const [from, to] of Object.entries(specifiers)) result = result.split(`'${from}'`).join(`'${to}'`)
  return result
}

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/** Hoists the imports of one part into `imports`, drops `export`, and turns `// =>` comments into checks. */
function rewritePart(part: Part, imports: Imports): { code: string; checks: number } {
  const { code, origin } = part
  const sf = ts.createSourceFile('part.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const edits: Edit[] = []
  const where = (pos: number) => `${origin.file}:${origin.line + sf.getLineAndCharacterOfPosition(pos).line}`
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      imports.add(statement, where(statement.getStart()))
      // Blank the import, keeping its lines so the line map stays true.
      edits.push({ start: statement.getStart(), end: statement.getEnd(), text: statement.getText().replace(/[^\n]/g, '') })
    } else if (ts.canHaveModifiers(statement)) {
      const exported = ts.getModifiers(statement)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      if (exported) edits.push({ start: exported.getStart(), end: exported.getEnd(), text: '' })
    }
  }
  const used = new Set<number>()
  const visit = (node: ts.Node) => {
    if (ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      for (const statement of node.statements) {
        const expected = expectation(code, statement, used)
        if (expected !== undefined) edits.push(checkEdit(statement, expected, where(statement.getStart())))
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  const all = [...code.matchAll(/\/\/ =>/g)].map((m) => m.index)
  const stray = all.filter((index) => !used.has(index))
  if (stray.length) {
    throw new Error(`${stray.map(where).join(', ')}: "// =>" must follow a statement, on its last line or alone on the next line`)
  }
  let result = code
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  }
  return { code: result, checks: used.size }
}

/** The expression of a `// =>` comment that ends on the statement's last line or fills the next line. */
function expectation(code: string, statement: ts.Statement, used: Set<number>): string | undefined {
  const end = valueEnd(statement)
  const sameLine = (ts.getTrailingCommentRanges(code, end) ?? []).find((r) => code.startsWith('// =>', r.pos))
  const next = ts.getLeadingCommentRanges(code, end)?.[0]
  const nextLine = next && code.startsWith('// =>', next.pos) && code.slice(end, next.pos).split('\n').length === 2 ? next : undefined
  const range = sameLine ?? nextLine
  if (!range) return undefined
  used.add(range.pos)
  // The expression ends at a second `//`, after which prose may follow: `// => 1  // rows matched`.
  return code.slice(range.pos + '// =>'.length, range.end).split(/\s\/\/\s/)[0].trim()
}

/** Where a statement's value ends: before its semicolon, which may start the next line (`;[a, b]`). */
function valueEnd(statement: ts.Statement): number {
  if (ts.isExpressionStatement(statement)) return statement.expression.getEnd()
  if (ts.isVariableStatement(statement)) return statement.declarationList.getEnd()
  return statement.getEnd()
}

function checkEdit(statement: ts.Statement, expected: string, where: string): Edit {
  const call = (actual: string) => `__check(${actual}, (${expected}), ${JSON.stringify(where)})`
  if (ts.isExpressionStatement(statement)) {
    const e = statement.expression
    return { start: e.getStart(), end: e.getEnd(), text: call(e.getText()) }
  }
  if (ts.isVariableStatement(statement)) {
    const declarations = statement.declarationList.declarations
    if (declarations.length === 1 && ts.isIdentifier(declarations[0].name)) {
      return { start: valueEnd(statement), end: valueEnd(statement), text: `; ${call(declarations[0].name.text)}` }
    }
  }
  throw new Error(`${where}: "// =>" follows a statement that has no single value (an expression or a one-name declaration)`)
}

/** The imports of every part, merged per module so a name imported twice is imported once. */
class Imports {
  private readonly modules = new Map<string, { sideEffect: boolean; defaults: Set<string>; namespaces: Set<string>; named: Map<string, { imported: string; type: boolean }> }>()
  private readonly owner = new Map<string, string>()

  constructor(private readonly specifiers: Readonly<Record<string, string>>) {}

  add(node: ts.ImportDeclaration, where: string): void {
    const raw = (node.moduleSpecifier as ts.StringLiteral).text
    const from = this.specifiers[raw] ?? raw
    let entry = this.modules.get(from)
    if (!entry) {
      entry = { sideEffect: false, defaults: new Set(), namespaces: new Set(), named: new Map() }
      this.modules.set(from, entry)
    }
    const clause = node.importClause
    if (!clause) {
      entry.sideEffect = true
      return
    }
    const claim = (local: string) => {
      const previous = this.owner.get(local)
      if (previous !== undefined && previous !== from) throw new Error(`${where}: "${local}" is imported from both '${previous}' and '${from}'`)
      this.owner.set(local, from)
    }
    if (clause.name) {
      claim(clause.name.text)
      entry.defaults.add(clause.name.text)
    }
    const bindings = clause.namedBindings
    if (bindings && ts.isNamespaceImport(bindings)) {
      claim(bindings.name.text)
      entry.namespaces.add(bindings.name.text)
    } else if (bindings) {
      for (const element of bindings.elements) {
        const local = element.name.text
        claim(local)
        const type = clause.isTypeOnly || element.isTypeOnly
        const previous = entry.named.get(local)
        entry.named.set(local, { imported: element.propertyName?.text ?? local, type: type && (previous?.type ?? true) })
      }
    }
  }

  render(): string[] {
    const lines: string[] = []
    for (const [from, entry] of this.modules) {
      const spec = JSON.stringify(from).replace(/^"|"$/g, "'")
      for (const ns of entry.namespaces) lines.push(`import * as ${ns} from ${spec}`)
      const named = [...entry.named].map(([local, { imported, type }]) =>
        `${type ? 'type ' : ''}${imported === local ? local : `${imported} as ${local}`}`)
      const defaults = [...entry.defaults]
      if (defaults.length > 1) throw new Error(`two default imports from ${from}: ${defaults.join(', ')}`)
      const clause = [...defaults, ...(named.length ? [`{ ${named.join(', ')} }`] : [])].join(', ')
      if (clause) lines.push(`import ${clause} from ${spec}`)
      else if (entry.sideEffect || entry.namespaces.size === 0) lines.push(`import ${spec}`)
    }
    return lines
  }
}
