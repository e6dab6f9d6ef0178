/**
 * The differential generator: seeded random schemas, rows and queries, a JS oracle of the query semantics, and
 * the helpers that run a query on a dialect and explain a failure. The conformance suite checks every dialect
 * against the oracle; apps/relationship-suite also compares the dialects with each other.
 */
export { Random, caseSeed } from './random.js'
export { generateSchema, buildSchema, describeSchema, type SchemaSpec, type TableSpec, type RelationSpec, type ColumnSpec } from './schema.js'
export { generateData, insertData, VALUES, type Dataset, type Row } from './data.js'
export { QueryGenerator, type QuerySpec, type Pred, type AggregateSpec, type EagerSpec, type ConstraintSpec, type OrderSpec } from './query.js'
export { applyQuery, applyPred, describeQuery, describePred } from './apply.js'
export { Oracle, type Tri } from './oracle.js'
export {
  QUERIES_PER_SCHEMA, differentialSettings, differentialCases, expectedOutcome, runQuery, openCase, plain, showStatements,
  describeFailure, queryIndexes, withoutPerParentLimits, type DifferentialSettings, type DifferentialCase, type Outcome, type CaseDb,
} from './run.js'
