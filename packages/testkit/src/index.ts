import { describe } from 'vitest'
import type { ConformanceOptions } from './context.js'
import { ddlSuite } from './suites/ddl.js'
import { errorSuite } from './suites/errors.js'
import { limitSuite } from './suites/limits.js'
import { readingSuite } from './suites/reading.js'
import { softDeleteSuite } from './suites/soft-deletes.js'
import { transactionSuite } from './suites/transactions.js'
import { valueSuite } from './suites/values.js'
import { whereSuite } from './suites/where.js'
import { writingSuite } from './suites/writing.js'
import { eagerLoadingSuite } from './suites/eager-loading.js'
import { relationFilterSuite } from './suites/relation-filters.js'
import { graphSuite } from './suites/graphs.js'
import { associationSuite } from './suites/associations.js'
import { reliabilitySuite } from './suites/reliability.js'
import { differentialSuite } from './suites/differential.js'

export type { ConformanceOptions, FaultHooks, SuiteContext, UnreachableCase } from './context.js'
export { requireCapabilities, missingCapabilities, capabilitiesOf, hasCapability, MISSING_CAPABILITY } from './capabilities.js'
export type { CapabilityFlag } from './capabilities.js'
export { useDb, seed } from './context.js'
export * as fixtures from './fixtures.js'
export * as relationFixtures from './relation-fixtures.js'
export * as differential from './differential/index.js'
export { useRelationDb, seedRelations } from './relation-context.js'

/**
 * The conformance suite, for vitest: call it at the top level of a test file with a function that makes
 * your dialect. Every case runs through the public API and asserts the values read back. A case that needs a
 * capability the dialect does not declare is skipped, and `@orm/testkit/reporter` counts it as
 * "skipped for missing capability <flag>".
 */
export function runConformance(options: ConformanceOptions): void {
  describe(`conformance: ${options.name}`, () => {
    readingSuite(options)
    whereSuite(options)
    writingSuite(options)
    softDeleteSuite(options)
    transactionSuite(options)
    errorSuite(options)
    valueSuite(options)
    ddlSuite(options)
    limitSuite(options)
    eagerLoadingSuite(options)
    relationFilterSuite(options)
    graphSuite(options)
    associationSuite(options)
    reliabilitySuite(options)
    differentialSuite(options)
  })
}
