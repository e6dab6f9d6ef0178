import { PIVOT_WEIGHT } from './schema.js'
import type { AggregateSpec, ConstraintSpec, OrderSpec, Pred, QuerySpec } from './query.js'


/** `where` as `orWhere` when `or`. */
const named = (name: string, or: boolean) => (or ? `or${name[0].toUpperCase()}${name.slice(1)}` : name)

/** Adds `p` to a builder, ANDed (or ORed) with what is there, through the public API only. */
export function applyPred(q: any, p: Pred, or: boolean): any {
  switch (p.kind) {
    case 'cmp':
      if (p.form === 'short') return q[named('where', or)](p.column, p.value)
      if (p.form === 'object') return q[named('where', or)]({ [p.column]: p.value })
      return q[named('where', or)](p.column, p.op, p.value)
    case 'in':
      return q[named(p.negate ? 'whereNotIn' : 'whereIn', or)](p.column, p.values)
    case 'between':
      // There is no orWhereNotBetween: a group holds it.
      if (p.negate && or) return q.orWhere((g: any) => g.whereNotBetween(p.column, p.range))
      return q[named(p.negate ? 'whereNotBetween' : 'whereBetween', or)](p.column, p.range)
    case 'null':
      if (p.form === 'where') return p.negate ? q[named('where', or)](p.column, '!=', null) : q[named('where', or)](p.column, null)
      return q[named(p.negate ? 'whereNotNull' : 'whereNull', or)](p.column)
    case 'not':
      return q[named('whereNot', or)]((g: any) => applyPred(g, p.item, false))
    case 'and':
      return q[named('where', or)]((g: any) => p.items.reduce((acc: any, item) => applyPred(acc, item, false), g))
    case 'or':
      return q[named('where', or)]((g: any) => p.items.reduce((acc: any, item, i) => applyPred(acc, item, i > 0), g))
    case 'has': {
      const path = p.path.join('.')
      const constrain = p.constraint && ((r: any) => applyPred(p.withTrashed ? r.withTrashed() : r, p.constraint!, false))
      if (p.negate) return constrain ? q[named('whereDoesntHave', or)](path, constrain) : q[named('doesntHave', or)](path)
      const count = p.op === undefined ? [] : [p.op, p.count]
      return constrain ? q[named('whereHas', or)](path, constrain, ...count) : q[named('has', or)](path, ...count)
    }
    case 'aggregate':
      return q[named('where', or)](p.alias, p.op, p.value)
    case 'pivot':
      return q[named('wherePivot', or)](PIVOT_WEIGHT, p.op, p.value)
  }
}

function applyOrder(q: any, order: readonly OrderSpec[]): any {
  return order.reduce((acc, o) => (o.pivot ? acc.orderByPivot(o.column, o.direction) : acc.orderBy(o.column, o.direction)), q)
}

function applyConstraint(q: any, c: ConstraintSpec): any {
  let out = q
  if (c.withTrashed) out = out.withTrashed()
  if (c.select) out = out.select(...c.select)
  for (const name of c.joins ?? []) out = out.join(name)
  for (const a of c.aggregates ?? []) out = applyAggregate(out, a)
  for (const path of c.with ?? []) out = out.with(path.join('.'))
  if (c.where) out = applyPred(out, c.where, false)
  out = applyOrder(out, c.order)
  if (c.limit !== undefined) out = out.limit(c.limit)
  if (c.offset !== undefined) out = out.offset(c.offset)
  return out
}

function applyAggregate(q: any, a: AggregateSpec): any {
  const method = `with${a.fn[0].toUpperCase()}${a.fn.slice(1)}`
  const constrain = a.constraint && ((r: any) => applyPred(r, a.constraint!, false))
  const options = a.as === undefined ? [] : [{ as: a.as }]
  if (a.fn === 'count' || a.fn === 'exists') {
    // withCount(name) / withCount(name, callback, { as }): a name alone when there is nothing else.
    if (!constrain && !options.length) return q[method](a.relation)
    return q[method](a.relation, constrain ?? ((r: any) => r), ...options)
  }
  if (!constrain && !options.length) return q[method](a.relation, a.column)
  return q[method](a.relation, a.column, constrain, ...options)
}

/** The whole query on `query` (a table's `query()` builder), ready for `get()`, `count()` or `pluck()`. */
export function applyQuery(query: any, spec: QuerySpec, parts: { where?: boolean; rest?: boolean } = {}): any {
  const { where = true, rest = true } = parts
  let q = query
  if (rest && spec.select) q = q.select(...spec.select)
  if (rest) for (const name of spec.joins) q = q.join(name)
  for (const a of spec.aggregates) q = applyAggregate(q, a)
  if (where && spec.where) q = applyPred(q, spec.where, false)
  if (!rest) return q
  for (const e of spec.eager) q = e.constraint ? q.with(e.path.join('.'), (r: any) => applyConstraint(r, e.constraint!)) : q.with(e.path.join('.'))
  q = applyOrder(q, spec.order)
  if (spec.limit !== undefined) q = q.limit(spec.limit)
  if (spec.offset !== undefined) q = q.offset(spec.offset)
  return q
}

// ---- a readable description: the same calls, made on a recorder ------------------------------------------

const TEXT = Symbol('text')

function show(value: unknown, depth: number): string {
  if (typeof value === 'function') {
    const name = `q${depth + 1}`
    return `(${name}) => ${(value(recorder(name, depth + 1)) as any)[TEXT]}`
  }
  if (value instanceof Date) return `new Date('${value.toISOString()}')`
  if (Array.isArray(value)) return `[${value.map((v) => show(v, depth)).join(', ')}]`
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v, depth)}`).join(', ')} }`
  return typeof value === 'string' ? `'${value.replace(/'/g, "\\'")}'` : String(value)
}

/** An object that accepts any chain of method calls and remembers it as source text. */
function recorder(text: string, depth: number): any {
  return new Proxy(
    {},
    {
      get(_, prop) {
        if (prop === TEXT) return text
        return (...args: unknown[]) => recorder(`${text}.${String(prop)}(${args.map((a) => show(a, depth)).join(', ')})`, depth)
      },
    },
  )
}

/** The query as the TypeScript that builds it: `db.ta.query().where(...)...`. */
export function describeQuery(spec: QuerySpec, terminal = 'get()'): string {
  return `${applyQuery(recorder(`db.${spec.root}.query()`, 0), spec)[TEXT]}.${terminal}`
}

/** A predicate as the calls that add it (`.where(...)...`). */
export function describePred(p: Pred): string {
  return applyPred(recorder('q', 0), p, false)[TEXT]
}
