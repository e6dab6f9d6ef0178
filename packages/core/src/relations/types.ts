/**
 * Type-level relations: what `with()`, `join()` and the aggregates add to a row. Paths are checked one
 * segment at a time (never by enumerating every path), so a large schema stays cheap to type-check.
 */
import type { AnySchema } from '../schema/define-schema.js'
import type { RelationDef } from '../schema/relations.js'
import type { Row, TableKey } from '../query/types.js'

type RelationsOf<S extends AnySchema, K> = K extends keyof S['relations'] ? S['relations'][K] : {}

/** The relation names of table `K`. */
export type RelationName<S extends AnySchema, K> = Extract<keyof RelationsOf<S, K>, string>

type DefOf<S extends AnySchema, K, N> = N extends keyof RelationsOf<S, K> ? RelationsOf<S, K>[N] : never

type ManyKind = 'hasMany' | 'belongsToMany' | 'morphMany' | 'morphToMany' | 'morphedByMany' | 'hasManyThrough'
type PivotKind = 'belongsToMany' | 'morphToMany' | 'morphedByMany'
type ToOneKind = 'hasOne' | 'belongsTo' | 'morphOne'

/** The table key(s) relation `N` of `K` leads to (a union for morphTo). */
export type RelationTarget<S extends AnySchema, K, N> = DefOf<S, K, N> extends RelationDef<any, infer T> ? Extract<T, TableKey<S>> : never

/** Relation names of `K` that `join()` accepts: to-one relations with a single target. */
export type JoinableName<S extends AnySchema, K> = {
  [N in RelationName<S, K>]: DefOf<S, K, N> extends RelationDef<ToOneKind, any> ? N : never
}[RelationName<S, K>]

/** A dot path that is valid so far, for checking and completion: `posts.comments`, or `*`. */
export type RelationPath<S extends AnySchema, K, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends RelationName<S, K>
    ? `${H}.${RelationPath<S, RelationTarget<S, K, H>, R>}`
    : RelationName<S, K> | '*'
  : RelationName<S, K> | '*'

/** The table key at the end of a path (the one a `with(path, q => ...)` callback queries). */
export type PathTarget<S extends AnySchema, K, P extends string> = P extends `${infer H}.${infer R}`
  ? PathTarget<S, RelationTarget<S, K, H>, R>
  : RelationTarget<S, K, P>

type Head<P extends string> = P extends `${infer H}.${string}` ? H : P
type Tail<P extends string, H extends string> = P extends `${H}.${infer R}` ? R : never

/** A union of dot paths as a tree: 'a.b' | 'a.c' | 'd' -> { a: { b: {}, c: {} }, d: {} }. */
export type PathTree<P extends string> = [P] extends [never] ? {} : { [H in Head<P>]: PathTree<Tail<P, H>> }

/** `*` stands for every relation of the level. */
type Expand<S extends AnySchema, K, T> = '*' extends keyof T ? Omit<T, '*'> & { [N in Exclude<RelationName<S, K>, keyof T>]: {} } : T

/**
 * The relations a tree loads onto a row of `K`. `C` maps full paths to the row type a constraint callback
 * produced (a `select()` there narrows the loaded rows); `Prefix` is the path so far.
 */
export type LoadedTree<S extends AnySchema, K, T, C, Prefix extends string = ''> = {
  [N in Extract<keyof Expand<S, K, T>, RelationName<S, K>>]: Wrap<S, K, N, Expand<S, K, T>[N], C, `${Prefix}${N}`>
}

type Node<S extends AnySchema, Target, Sub, C, Path extends string> = Target extends TableKey<S>
  ? (Path extends keyof C ? C[Path] : Row<S, Target>) & LoadedTree<S, Target, Sub, C, `${Path}.`>
  : never

type Wrap<S extends AnySchema, K, N, Sub, C, Path extends string> = DefOf<S, K, N> extends RelationDef<infer Kind, infer T>
  ? Kind extends ManyKind
    ? (Node<S, T, Sub, C, Path> & (Kind extends PivotKind ? { pivot: Record<string, unknown> } : {}))[]
    : Node<S, T, Sub, C, Path> | null
  : never

/** The row a query returns: its columns (R), plus what its `with()` paths (W) load. */
export type WithLoaded<S extends AnySchema, K, R, W extends string, C> = [W] extends [never] ? R : R & LoadedTree<S, K, PathTree<W>, C>

/** `withSum('posts', 'views')` -> `postsSumViews`. */
export type AggregateName<N extends string, F extends string, Col extends string> = `${N}${F}${Capitalize<Col>}`

/** A path for has/whereHas: like RelationPath, without `*`. */
export type FilterPath<S extends AnySchema, K, P extends string> = Exclude<RelationPath<S, K, P>, '*' | `${string}.*`>

/** Relations an aggregate can count: all but morphTo (its rows live in several tables). */
export type AggregatableName<S extends AnySchema, K> = {
  [N in RelationName<S, K>]: DefOf<S, K, N> extends RelationDef<'morphTo', any> ? never : N
}[RelationName<S, K>]
