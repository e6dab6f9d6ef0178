import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const cliSource = fileURLToPath(new URL('../src/index.ts', import.meta.url))

/** Type-checks one file as the packages do (strict, NodeNext); returns the diagnostics as text, one per line. */
export function typecheck(file: string): string[] {
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    // Migration files import types from @orm/cli: the sources, so no build is needed.
    paths: { '@orm/cli': [cliSource] },
  })
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (!d.file || d.start === undefined) return message
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    return `${d.file.fileName}:${line + 1}:${character + 1} ${message}`
  })
}
