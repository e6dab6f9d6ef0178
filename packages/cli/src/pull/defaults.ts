import type { ColumnKind } from '@orm/core'

/** A database default as the schema can say it. */
export type PulledDefault =
  | { readonly type: 'now' }
  | { readonly type: 'random' }
  | { readonly type: 'value'; readonly value: unknown }
  /** An expression with no JS value: kept as sql`...`. */
  | { readonly type: 'sql'; readonly text: string }

/**
 * Reads a default reported by the introspector (SQL text: literals in standard quoting, maybe a cast, maybe
 * wrapped in parentheses) as the column kind's JS value, `defaultNow()`, or a raw SQL expression.
 * NULL and no default are `undefined`.
 */
export function parseDefault(raw: string | null | undefined, kind: ColumnKind): PulledDefault | undefined {
  if (raw == null) return undefined
  const text = unwrap(raw.trim())
  if (text === '' || /^null$/i.test(text)) return undefined
  if (kind === 'id') return undefined
  if (kind === 'timestamp' && NOW.test(text)) return { type: 'now' }
  if (kind === 'date' && (TODAY.test(text) || NOW.test(text))) return { type: 'now' }
  if (kind === 'uuid' && /^(gen_random_uuid|uuid_generate_v4|uuid)\(\)$/i.test(text)) return { type: 'random' }
  const literal = literalValue(text)
  if (literal === undefined) return { type: 'sql', text: raw.trim() }
  const value = asKind(literal, kind)
  return value === undefined ? { type: 'sql', text: raw.trim() } : { type: 'value', value }
}

const NOW = /^(current_timestamp|now|localtimestamp|getdate|sysdate)(\(\s*\d*\s*\))?$|^strftime\(.*'now'.*\)$|^datetime\('now'.*\)$/i
const TODAY = /^(current_date|curdate\(\s*\))$|^date\('now'.*\)$/i

/** Strips parentheses around the whole expression and casts after it: `('-1'::integer)` -> `'-1'`. */
function unwrap(text: string): string {
  let current = text
  for (;;) {
    const cast = /^(.*?)::[a-z_][a-z0-9_ ]*(\(\d+(,\s*\d+)?\))?(\[\])?$/i.exec(current)
    if (cast && balanced(cast[1])) {
      current = cast[1].trim()
      continue
    }
    if (current.startsWith('(') && current.endsWith(')') && balanced(current.slice(1, -1))) {
      current = current.slice(1, -1).trim()
      continue
    }
    return current
  }
}

/** Parentheses balance outside string literals, and no literal is left open. */
function balanced(text: string): boolean {
  let depth = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === "'") {
        if (text[i + 1] === "'") i++
        else quoted = false
      }
    } else if (c === "'") quoted = true
    else if (c === '(') depth++
    else if (c === ')' && --depth < 0) return false
  }
  return depth === 0 && !quoted
}

type Literal = { readonly string: string } | { readonly number: string } | { readonly boolean: boolean }

function literalValue(text: string): Literal | undefined {
  const str = /^(?:[EN]|_[a-z0-9]+)?'((?:[^']|'')*)'$/i.exec(text)
  if (str) return { string: str[1].replace(/''/g, "'") }
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text)) return { number: text }
  if (/^(true|false)$/i.test(text)) return { boolean: /^true$/i.test(text) }
  return undefined
}

/** The literal as a value of the column kind, or undefined when it is not one. */
function asKind(literal: Literal, kind: ColumnKind): unknown {
  const raw = 'string' in literal ? literal.string : 'number' in literal ? literal.number : String(literal.boolean)
  switch (kind) {
    case 'boolean':
      if ('boolean' in literal) return literal.boolean
      if (/^(1|t|true|y|yes|on)$/i.test(raw)) return true
      if (/^(0|f|false|n|no|off)$/i.test(raw)) return false
      return undefined
    case 'integer': case 'bigint': case 'float': {
      if ('boolean' in literal) return undefined
      const n = Number(raw)
      if (!Number.isFinite(n) || (kind !== 'float' && !Number.isSafeInteger(n))) return undefined
      return n
    }
    case 'decimal':
      return 'boolean' in literal || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim()) ? undefined : raw.trim()
    case 'json':
      if (!('string' in literal)) return undefined
      try {
        return JSON.parse(raw)
      } catch {
        return undefined
      }
    case 'timestamp': {
      if (!('string' in literal)) return undefined
      // Timestamps are stored in UTC; a value without a zone (MySQL DATETIME) is UTC too.
      const iso = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(raw) ? raw.replace(' ', 'T') + 'Z' : raw
      const date = new Date(iso)
      return Number.isNaN(date.getTime()) ? undefined : date
    }
    case 'date':
      return 'string' in literal && /^\d{4}-\d\d-\d\d$/.test(raw) ? raw : undefined
    case 'binary':
      return undefined
    default:
      return 'boolean' in literal ? undefined : raw
  }
}
