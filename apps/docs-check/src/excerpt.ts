/**
 * A block marked `<!-- doctest: excerpt <path> -->` shows code of a file that is tested elsewhere (the PGlite
 * example package runs the conformance suite). It matches when its lines appear in that file in the same order,
 * compared without whitespace, comments and trailing commas, so a one-line excerpt of a formatted source still matches and a
 * line the source no longer has does not. An import line matches when the file imports those names from that
 * module (in any order, among others).
 */

/** Code without comments, whitespace and trailing commas (a formatter adds them when it breaks a line). */
function squash(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '').replace(/\s+/g, '').replace(/,(?=[}\])])/g, '')
}

const IMPORT = /^\s*import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/

function importedNames(source: string, from: string): Set<string> {
  const names = new Set<string>()
  for (const line of source.split('\n')) {
    const m = IMPORT.exec(line)
    if (m && m[3] === from) for (const name of m[2].split(',')) names.add(name.replace(/^\s*type\s+/, '').trim())
  }
  return names
}

/** The excerpt's lines that the file does not have (in order), or [] when it matches. */
export function missingLines(excerpt: string, source: string): string[] {
  const missing: string[] = []
  const squashed = squash(source)
  let from = 0
  for (const line of excerpt.split('\n')) {
    const m = IMPORT.exec(line)
    if (m) {
      const names = importedNames(source, m[3])
      const absent = m[2].split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()).filter((n) => n && !names.has(n))
      if (absent.length) missing.push(line.trim())
      continue
    }
    const code = squash(line).replace(/,$/, '')
    if (!code) continue
    const found = squashed.indexOf(code, from)
    if (found < 0) missing.push(line.trim())
    else from = found + code.length
  }
  return missing
}
