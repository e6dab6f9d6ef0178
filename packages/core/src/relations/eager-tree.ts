import { ValidationError } from '../errors.js'
import type { AnySchema } from '../schema/define-schema.js'
import { linksOf, relationOf } from './links.js'

/** What to load under one relation: an optional constraint callback and the relations below it. */
export interface EagerNode {
  readonly constraint?: (q: any) => any
  readonly children: ReadonlyMap<string, EagerNode>
}
export type EagerTree = ReadonlyMap<string, EagerNode>

/**
 * Adds a dot path (and a constraint for its last segment) to a tree, checking every segment against the
 * schema as it goes; `*` stands for every relation of its level.
 */
export function addPath(schema: AnySchema, tableKey: string, tree: EagerTree, path: string, constraint?: (q: any) => any): EagerTree {
  if (typeof path !== 'string') throw new ValidationError('with() takes relation names or dot paths.')
  const [head, ...rest] = path.split('.')
  if (head === '*') {
    if (constraint) throw new ValidationError("with('*') takes no constraint callback.")
    let out = tree
    for (const name of schema.meta.relations.get(tableKey)?.keys() ?? []) out = addPath(schema, tableKey, out, [name, ...rest].join('.'))
    return out
  }
  const relation = relationOf(schema, tableKey, head)
  const next = new Map(tree)
  const current: EagerNode = tree.get(head) ?? { children: new Map() }
  if (rest.length === 0) {
    next.set(head, { constraint: constraint ?? current.constraint, children: current.children })
    return next
  }
  const targets = [...new Set(linksOf(schema, relation).map((l) => l.target))]
  let children = current.children
  for (const target of targets) children = addPath(schema, target, children, rest.join('.'), constraint)
  next.set(head, { constraint: current.constraint, children })
  return next
}
