/**
 * Type-checks the page modules as an application would compile them (the repository's strict tsconfig, the
 * packages' published .d.ts files): a misspelt relation, a wrong option or a result used as the wrong type in
 * an example is an error here even when it happens to run. Errors are reported at their page lines.
 */
import { writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { packageDir, writePage } from './run-page.js'

export function typecheckPages(pages: readonly string[]): string[] {
  const dir = join(packageDir, '.generated', 'typecheck')
  const modules = new Map<string, ReturnType<typeof writePage>['script']>()
  for (const page of pages) {
    const { script, path } = writePage(page, 'sqlite', 'typecheck')
    modules.set(path, script)
  }
  const config = join(dir, 'tsconfig.json')
  writeFileSync(config, JSON.stringify({ extends: '@orm/tsconfig/base.json', compilerOptions: { noEmit: true }, include: ['**/*.ts'] }))
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
  if (!parsed) throw new Error(`cannot read ${config}`)
  const program = ts.createProgram(parsed.fileNames, parsed.options)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]
    if (!d.file || d.start === undefined) return message
    const line = d.file.getLineAndCharacterOfPosition(d.start).line
    const origin = modules.get(d.file.fileName)?.lineMap[line]
    return `${origin ? `${origin.file}:${origin.line}` : `${relative(packageDir, d.file.fileName)}:${line + 1}`}: ${message}`
  })
}
