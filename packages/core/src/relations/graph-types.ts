/**
 * Types of graph writes: what `create()` and `save()` take (a row's columns plus optional relation keys,
 * nested up to four levels) and what they return (the row type plus the relations the input carried).
 * Plain mapped types over the relation definitions: nothing enumerates paths, so a large schema stays cheap.
 */
import type { AnySchema } from '../schema/define-schema.js'
import type { RelationDef } from '../schema/relations.js'
import type { InferInsert, InferUpdate, Row, TableKey, TableOf } from '../query/types.js'

type RelationsOf<S extends AnySchema, K> = K extends keyof S['relations'] ? S['relations'][K] : {}
type ManyKind = 'hasMany' | 'belongsToMany' | 'morphMany' | 'morphToMany' | 'morphedByMany' | 'hasManyThrough'
type PivotKind = 'belongsToMany' | 'morphToMany' | 'morphedByMany'
type ByKeyKind = PivotKind | 'belongsTo' | 'morphTo'
type ThroughKind = 'hasOneThrough' | 'hasManyThrough'

/** Depth counter: 4, 3, 2, 1, 0, then nothing below. */
type Down = [never, 0, 1, 2, 3]

/** Relation names of `K` a graph can write (not the through relations). */
export type WritableRelation<S extends AnySchema, K> = {
  [N in keyof RelationsOf<S, K>]: RelationsOf<S, K>[N] extends RelationDef<ThroughKind, any> ? never : N
}[keyof RelationsOf<S, K>] & string

/**
 * Foreign keys and morph types are set by the graph (from the parent, or from a belongsTo input), and the
 * relation definitions do not carry their names as types: columns named `...Id` / `...Type` are optional in a
 * graph input. Every other column an insert requires stays required.
 */
type GraphSet = `${string}Id` | `${string}Type`
type Relax<I> = Omit<I, Extract<keyof I, GraphSet>> & Partial<Pick<I, Extract<keyof I, GraphSet>>>

type Cols<S extends AnySchema, T, Mode> = T extends TableKey<S> ? (Mode extends 'create' ? Relax<InferInsert<TableOf<S, T>>> : InferUpdate<TableOf<S, T>>) : never

/** A row given by key (an existing row to point at or attach): any of its columns, the key among them. */
type ByKey<S extends AnySchema, T> = T extends TableKey<S> ? Partial<Row<S, T>> : never

type Node<S extends AnySchema, T, Mode, D extends number> = T extends TableKey<S> ? GraphInputOf<S, T, Mode, D> : never

type RelationInput<S extends AnySchema, Def, Mode, D extends number> =
  Def extends RelationDef<infer Kind, infer T>
    ? Kind extends PivotKind
      ? ((Node<S, T, Mode, D> | ByKey<S, T>) & { pivot?: Record<string, unknown> })[]
      : Kind extends ManyKind
        ? Node<S, T, Mode, D>[]
        : (Kind extends ByKeyKind ? Node<S, T, Mode, D> | ByKey<S, T> : Node<S, T, Mode, D>) | null
    : never

type GraphInputOf<S extends AnySchema, K extends TableKey<S>, Mode, D extends number> = Cols<S, K, Mode> &
  ([D] extends [never] ? {} : { [N in WritableRelation<S, K>]?: RelationInput<S, RelationsOf<S, K>[N], Mode, Down[D]> })

/** What `db.<K>.create()` takes: the insert columns, plus relations (to-many: arrays, to-one: one row). */
export type GraphInput<S extends AnySchema, K extends TableKey<S>> = GraphInputOf<S, K, 'create', 4>

/** What `db.<K>.save()` takes: any columns (the key among them), plus relations. */
export type SaveInput<S extends AnySchema, K extends TableKey<S>> = GraphInputOf<S, K, 'save', 4>

type Out<S extends AnySchema, T, I, D extends number> = T extends TableKey<S> ? GraphRowOf<S, T, I, D> : never

type RelationOutput<S extends AnySchema, Def, V, D extends number> =
  Def extends RelationDef<infer Kind, infer T>
    ? Kind extends ManyKind
      ? V extends readonly (infer E)[]
        ? (Out<S, T, E, D> & (Kind extends PivotKind ? { pivot: Record<string, unknown> } : {}))[]
        : never
      : null extends V
        ? Out<S, T, NonNullable<V>, D> | null
        : Out<S, T, V, D>
    : never

type GraphRowOf<S extends AnySchema, K extends TableKey<S>, I, D extends number> = Row<S, K> &
  ([D] extends [never] ? {} : { [N in Extract<keyof I, WritableRelation<S, K>>]: RelationOutput<S, RelationsOf<S, K>[N], I[N], Down[D]> })

/** What create() / save() return for input `I`: the row as stored, with the relations `I` carried. */
export type GraphRow<S extends AnySchema, K extends TableKey<S>, I> = GraphRowOf<S, K, I, 4>

/** Keys of `I` that are neither columns nor relations of `K` are a compile error (the runtime names them too). */
export type NoExtraKeys<I, Allowed> = { [P in Exclude<keyof I, keyof Allowed>]: never }
