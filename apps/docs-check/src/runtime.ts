/**
 * What a generated page module calls: `at(i)` as each part starts (so a failure names its block), and
 * `check(actual, expected, where)` for each `// => expected` comment.
 *
 * How a value matches the expected expression:
 * - a plain object matches an object that has at least those keys, each matching (other keys are ignored,
 *   so `// => { id: 1, name: 'Ann' }` does not have to list every column);
 * - an array matches an array of the same length whose items match in order;
 * - a class matches any instance of it (`Date`), and `Number` / `String` / `Boolean` any value of that type;
 * - a RegExp matches a string it matches;
 * - a `Date` matches the same instant, a `Uint8Array` the same bytes; anything else must be `Object.is` equal.
 */
import { isDeepStrictEqual, inspect } from 'node:util'

const STATE = Symbol.for('orm.docs-check.state')

export interface RunState {
  /** The index of the part that started last. */
  part: number
  checks: number
}

export function state(): RunState {
  const g = globalThis as unknown as { [STATE]?: RunState }
  return (g[STATE] ??= { part: -1, checks: 0 })
}

export function resetState(): void {
  Object.assign(state(), { part: -1, checks: 0 })
}

export function at(part: number): void {
  state().part = part
}

/** A `// =>` that did not match; `where` is its page line. */
export class CheckError extends Error {
  override readonly name = 'CheckError'
  constructor(message: string, readonly where: string) {
    super(message)
  }
}

export function check<T>(actual: T, expected: unknown, where: string): T {
  const problem = mismatch(actual, expected, '')
  if (problem !== undefined) {
    const whole = problem.startsWith('the value:') ? '' : `\nthe value: ${inspect(actual, { depth: 6 })}`
    throw new CheckError(`the value does not match "// =>".\n${problem}${whole}`, where)
  }
  state().checks++
  return actual
}

const PRIMITIVE_TYPES = new Map<unknown, string>([[Number, 'number'], [String, 'string'], [Boolean, 'boolean'], [BigInt, 'bigint']])

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function mismatch(actual: unknown, expected: unknown, path: string): string | undefined {
  const at = path || 'the value'
  if (typeof expected === 'function') {
    const primitive = PRIMITIVE_TYPES.get(expected)
    if (primitive) return typeof actual === primitive ? undefined : `${at}: expected a ${primitive}, got ${inspect(actual)}`
    return actual instanceof expected ? undefined : `${at}: expected an instance of ${expected.name}, got ${inspect(actual)}`
  }
  if (expected instanceof RegExp) {
    return typeof actual === 'string' && expected.test(actual) ? undefined : `${at}: expected a string matching ${expected}, got ${inspect(actual)}`
  }
  if (expected instanceof Date) {
    return actual instanceof Date && actual.getTime() === expected.getTime() ? undefined : `${at}: expected ${expected.toISOString()}, got ${inspect(actual)}`
  }
  if (expected instanceof Uint8Array) {
    return actual instanceof Uint8Array && isDeepStrictEqual(Buffer.from(actual), Buffer.from(expected)) ? undefined : `${at}: expected the bytes ${inspect(expected)}, got ${inspect(actual)}`
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${inspect(actual)}`
    if (actual.length !== expected.length) return `${at}: expected ${expected.length} items, got ${actual.length}`
    for (let i = 0; i < expected.length; i++) {
      const problem = mismatch(actual[i], expected[i], `${path}[${i}]`)
      if (problem) return problem
    }
    return undefined
  }
  if (isPlainObject(expected)) {
    if (typeof actual !== 'object' || actual === null) return `${at}: expected an object, got ${inspect(actual)}`
    for (const key of Object.keys(expected)) {
      const problem = mismatch((actual as Record<string, unknown>)[key], expected[key], path ? `${path}.${key}` : key)
      if (problem) return problem
    }
    return undefined
  }
  return Object.is(actual, expected) ? undefined : `${at}: expected ${inspect(expected)}, got ${inspect(actual)}`
}

/**
 * The error `fn` throws or rejects with, for `// =>` to check: `await thrown(() => db.users.findOrFail(99))
 * // => NotFoundError`. Not throwing is a failure. Hidden page code imports it from 'docs-check'.
 */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn()
  } catch (error) {
    return error
  }
  throw new CheckError('expected an error, but none was thrown', '')
}
