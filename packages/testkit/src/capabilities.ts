import { defaultCapabilities, type Capabilities, type Dialect } from '@orm/core'
import type { TestContext } from 'vitest'

/**
 * A yes/no capability a case can require: every boolean flag of `Capabilities`, and each kind of RETURNING
 * as `returning.insert` / `returning.update` / `returning.delete`. (`maxParameters` is a number: cases adapt
 * their expectations to it instead of being skipped.)
 */
export type CapabilityFlag =
  | { [K in keyof Capabilities]: Capabilities[K] extends boolean ? K : never }[keyof Capabilities]
  | `returning.${keyof Capabilities['returning']}`

/** The note a case skipped by `requireCapabilities` carries; the report reads it (and `meta`). */
export const MISSING_CAPABILITY = 'missing capability'

declare module 'vitest' {
  interface TaskMeta {
    /** Set by `requireCapabilities` on a case it skipped: the flags the dialect lacks. */
    missingCapabilities?: string[]
  }
}

/** What a dialect declares, over the core's defaults (as the runtime starts before the driver corrects it). */
export function capabilitiesOf(dialect: Pick<Dialect, 'capabilities'>): Capabilities {
  return { ...defaultCapabilities, ...dialect.capabilities }
}

export function hasCapability(capabilities: Capabilities, flag: CapabilityFlag): boolean {
  if (flag.startsWith('returning.')) {
    return capabilities.returning[flag.slice('returning.'.length) as keyof Capabilities['returning']] === true
  }
  return capabilities[flag as Exclude<CapabilityFlag, `returning.${string}`>] === true
}

/** The flags of `flags` the dialect does not have. */
export function missingCapabilities(dialect: Pick<Dialect, 'capabilities'>, flags: readonly CapabilityFlag[]): CapabilityFlag[] {
  const capabilities = capabilitiesOf(dialect)
  return flags.filter((flag) => !hasCapability(capabilities, flag))
}

/**
 * Call first thing in a case that needs capabilities: when the dialect lacks one, the case is skipped (not
 * passed) and the report counts it as "skipped for missing capability <flag>". Never gate on a dialect's name.
 *
 * ```ts
 * it('nested transactions are savepoints', async (ctx) => {
 *   requireCapabilities(ctx, t.db.dialect, 'savepoints')
 *   ...
 * })
 * ```
 */
export function requireCapabilities(ctx: TestContext, dialect: Pick<Dialect, 'capabilities'>, ...flags: CapabilityFlag[]): void {
  const missing = missingCapabilities(dialect, flags)
  if (missing.length === 0) return
  ctx.task.meta.missingCapabilities = missing
  ctx.skip(`${MISSING_CAPABILITY}: ${missing.join(', ')}`)
}
