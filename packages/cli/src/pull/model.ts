import { camelCase, plural, singular, type IntrospectedForeignKey, type IntrospectedTable, type RelationKind } from '@orm/core'
import { parseDefault, type PulledDefault } from './defaults.js'
import { kindOf, type KindInfo } from './types.js'

/** A schema read from a database, before it is written as TypeScript. */
export interface PulledSchema {
  readonly tables: PulledTable[]
  /** Things the file cannot say (a composite foreign key's constraint, a type with no kind), one line each. */
  readonly warnings: string[]
}

export interface PulledTable {
  /** The table key (`postTags`), also the name of its const. */
  readonly key: string
  readonly name: string
  readonly columns: PulledColumn[]
  /** id, created_at, updated_at, deleted_at are exactly model()'s: written as `...model()`. */
  readonly model: boolean
  readonly primaryKey?: string[]
  readonly uniques: string[][]
  readonly timestamps: boolean
  readonly softDelete?: string
  readonly relations: PulledRelation[]
}

export interface PulledColumn {
  readonly prop: string
  readonly name: string
  readonly type: KindInfo
  readonly nullable: boolean
  /** The table's only primary key column (not an auto-increment id, which col.id() already is). */
  readonly primaryKey: boolean
  readonly unique: boolean
  readonly default?: PulledDefault
  readonly references?: {
    readonly table: string
    readonly prop: string
    readonly onDelete?: string
    readonly onUpdate?: string
    /** The reference is part of a cycle of tables: `(): ColumnRef => t.id` keeps TypeScript from inferring in a circle. */
    readonly annotate: boolean
  }
  /** Part of model(): not written on its own. */
  readonly inModel: boolean
}

export interface PulledRelation {
  readonly name: string
  readonly kind: Extract<RelationKind, 'belongsTo' | 'hasOne' | 'hasMany' | 'belongsToMany'>
  readonly target: string
  /** Only the options that differ from the conventions; property names. */
  readonly options: Readonly<Record<string, string | readonly string[]>>
}

/** Names a table key or column property may not take: db methods, JS keywords, the names the file imports. */
const RESERVED_KEYS = new Set([
  'schema', 'transaction', 'execute', 'close', 'dialect', 'then', 'table', 'col', 'model', 'defineSchema', 'sql', 'ColumnRef',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await',
  'implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
])
const RESERVED_PROPS = new Set(['$name', '$columns', '$meta'])

/** A JS identifier from a database name: camelCase, other characters as `_`, never starting with a digit. */
export function identifier(name: string): string {
  let id = camelCase(name).replace(/[^A-Za-z0-9_$]/g, '_')
  if (/^[0-9]/.test(id)) id = '_' + id
  return id || '_'
}

function unique(base: string, taken: Set<string>, suffix = '_'): string {
  let name = base
  for (let i = 2; taken.has(name); i++) name = `${base}${suffix}${i}`
  taken.add(name)
  return name
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
/** users -> userId: the property the conventions look for (same rule as @orm/core). */
const foreignKeyProp = (tableKey: string) => lowerFirst(camelCase(singular(tableKey))) + 'Id'
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))

interface TableInfo {
  readonly source: IntrospectedTable
  readonly key: string
  readonly propOf: Map<string, string>
}

/** Turns introspected tables into the schema `orm pull` writes: tables, columns, keys and relations. */
export function buildSchema(tables: readonly IntrospectedTable[]): PulledSchema {
  const warnings: string[] = []
  const keys = new Set<string>()
  const infos = new Map<string, TableInfo>()
  for (const source of [...tables].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    let key = identifier(source.name)
    if (RESERVED_KEYS.has(key)) key += 'Table'
    key = unique(key, keys)
    const props = new Set<string>(['$name', '$columns', '$meta'])
    const propOf = new Map<string, string>()
    for (const column of source.columns) {
      let prop = identifier(column.name)
      if (RESERVED_PROPS.has(prop)) prop = prop.slice(1)
      propOf.set(column.name, unique(prop, props))
    }
    infos.set(source.name, { source, key, propOf })
  }

  const foreignKeys = new Map<string, IntrospectedForeignKey[]>()
  for (const info of infos.values()) {
    const kept: IntrospectedForeignKey[] = []
    for (const fk of info.source.foreignKeys) {
      const target = infos.get(fk.referencedTable)
      const resolvable = target && fk.referencedColumns.every((c) => target.propOf.has(c)) && fk.columns.every((c) => info.propOf.has(c))
      if (!resolvable) {
        warnings.push(`${info.source.name}: the foreign key (${fk.columns.join(', ')}) -> ${fk.referencedTable} points outside the pulled tables; left out.`)
        continue
      }
      kept.push(fk)
    }
    foreignKeys.set(info.source.name, kept)
  }
  const cyclic = cyclicTables(infos, foreignKeys)

  const result: PulledTable[] = []
  for (const info of infos.values()) result.push(buildTable(info, infos, foreignKeys.get(info.source.name)!, cyclic, warnings))
  addRelations(result, infos, foreignKeys)
  return { tables: orderByReferences(result, infos, foreignKeys), warnings }
}

function buildTable(
  info: TableInfo,
  infos: ReadonlyMap<string, TableInfo>,
  foreignKeys: readonly IntrospectedForeignKey[],
  cyclic: ReadonlySet<string>,
  warnings: string[],
): PulledTable {
  const { source, propOf } = info
  const pk = source.primaryKey
  const single = pk.length === 1
  const uniqueSets = source.uniques.filter((u) => u.length > 0 && !sameSet(u, pk))
  const columns: PulledColumn[] = source.columns.map((column) => {
    const type = kindOf(column, single && pk[0] === column.name)
    if (type.unknownType) {
      warnings.push(`${source.name}.${column.name}: the type ${type.unknownType} has no column kind; read as col.text().`)
    }
    const fk = foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column.name)
    const target = fk && infos.get(fk.referencedTable)!
    return {
      prop: propOf.get(column.name)!,
      name: column.name,
      type,
      nullable: column.nullable && !pk.includes(column.name),
      primaryKey: single && pk[0] === column.name && type.kind !== 'id',
      unique: uniqueSets.some((u) => u.length === 1 && u[0] === column.name),
      default: parseDefault(column.default, type.kind),
      references: fk && target ? {
        table: target.key,
        prop: target.propOf.get(fk.referencedColumns[0])!,
        onDelete: action(fk.onDelete),
        onUpdate: action(fk.onUpdate),
        annotate: cyclic.has(source.name) && cyclic.has(fk.referencedTable),
      } : undefined,
      inModel: false,
    }
  })
  for (const fk of foreignKeys) {
    if (fk.columns.length > 1) {
      warnings.push(
        `${source.name}: the composite foreign key (${fk.columns.join(', ')}) -> ${fk.referencedTable} is not written as ` +
          `.references() (one column each); its relations are.`,
      )
    }
  }

  const byName = (name: string) => columns.find((c) => c.name === name)
  const isTimestamp = (c: PulledColumn | undefined) => !!c && c.type.kind === 'timestamp'
  const id = byName('id')
  const created = byName('created_at')
  const updated = byName('updated_at')
  const deleted = byName('deleted_at')
  const plain = (c: PulledColumn | undefined) => !!c && !c.default && !c.unique && !c.references
  const model =
    !!id && id.type.kind === 'id' && id.prop === 'id' &&
    isTimestamp(created) && !created!.nullable && plain(created) && created!.prop === 'createdAt' &&
    isTimestamp(updated) && !updated!.nullable && plain(updated) && updated!.prop === 'updatedAt' &&
    isTimestamp(deleted) && deleted!.nullable && plain(deleted) && deleted!.prop === 'deletedAt'
  const inModel = new Set(model ? ['id', 'created_at', 'updated_at', 'deleted_at'] : [])
  const timestamps = !model && isTimestamp(created) && isTimestamp(updated) && created!.prop === 'createdAt' && updated!.prop === 'updatedAt'
  const softDelete = !model && isTimestamp(deleted) && deleted!.nullable ? deleted!.prop : undefined

  return {
    key: info.key,
    name: source.name,
    columns: columns.map((c) => (inModel.has(c.name) ? { ...c, inModel: true } : c)),
    model,
    primaryKey: pk.length > 1 ? pk.map((c) => propOf.get(c)!) : undefined,
    uniques: uniqueSets.filter((u) => u.length > 1).map((u) => u.map((c) => propOf.get(c)!)),
    timestamps,
    softDelete,
    relations: [],
  }
}

/** 'no action' is what a foreign key does when it says nothing, so it is left out. */
function action(value: string | undefined): string | undefined {
  const v = value?.toLowerCase()
  return !v || v === 'no action' ? undefined : v
}

/** A table whose columns are exactly two foreign keys (plus extra columns), with a key over the two: a pivot. */
function pivotKeys(source: IntrospectedTable, foreignKeys: readonly IntrospectedForeignKey[]): [IntrospectedForeignKey, IntrospectedForeignKey] | undefined {
  if (foreignKeys.length !== 2) return undefined
  const [a, b] = foreignKeys
  const columns = [...a.columns, ...b.columns]
  if (new Set(columns).size !== columns.length) return undefined
  const required = columns.every((c) => source.columns.find((col) => col.name === c)?.nullable === false)
  const keyed = sameSet(source.primaryKey, columns) || source.uniques.some((u) => sameSet(u, columns))
  return required && keyed ? [a, b] : undefined
}

function addRelations(
  tables: PulledTable[],
  infos: ReadonlyMap<string, TableInfo>,
  foreignKeys: ReadonlyMap<string, readonly IntrospectedForeignKey[]>,
): void {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const names = new Map(tables.map((t) => [t.name, new Set(t.columns.map((c) => c.prop))]))
  /** A relation name not yet used on the table (by a column or a relation): base, base + suffix, base + suffix + 2, ... */
  const claim = (table: PulledTable, base: string, suffix: string) => {
    const taken = names.get(table.name)!
    return unique(taken.has(base) ? base + suffix : base, taken, '')
  }
  const keyProps = (info: TableInfo, columns: readonly string[]) => columns.map((c) => info.propOf.get(c)!)
  const isPrimary = (info: TableInfo, columns: readonly string[]) =>
    info.source.primaryKey.length === columns.length && info.source.primaryKey.every((c, i) => c === columns[i])
  const keyOption = (props: readonly string[]) => (props.length === 1 ? props[0] : props)

  // belongsTo on each table holding a key, in the order of its columns.
  for (const table of tables) {
    const info = infos.get(table.name)!
    for (const fk of sortKeys(foreignKeys.get(table.name)!, info)) {
      const target = infos.get(fk.referencedTable)!
      const fkProps = keyProps(info, fk.columns)
      const base = fkProps.length === 1 && /.Id$/.test(fkProps[0]) ? fkProps[0].slice(0, -2) : lowerFirst(identifier(singular(target.key)))
      const name = claim(table, base, 'Relation')
      const options: Record<string, string | readonly string[]> = {}
      if (!(fkProps.length === 1 && fkProps[0] === `${name}Id`)) options.foreignKey = keyOption(fkProps)
      if (!isPrimary(target, fk.referencedColumns)) options.ownerKey = keyOption(keyProps(target, fk.referencedColumns))
      table.relations.push({ name, kind: 'belongsTo', target: target.key, options })
    }
  }

  // The inverse on the referenced table: hasOne / hasMany, or belongsToMany through a pivot.
  for (const table of tables) {
    const info = infos.get(table.name)!
    const fks = sortKeys(foreignKeys.get(table.name)!, info)
    const pivot = pivotKeys(info.source, fks)
    if (pivot) {
      for (const [self, other] of [pivot, [pivot[1], pivot[0]]] as const) {
        const parent = byName.get(self.referencedTable)!
        const parentInfo = infos.get(self.referencedTable)!
        const related = infos.get(other.referencedTable)!
        const selfProps = keyProps(info, self.columns)
        const otherProps = keyProps(info, other.columns)
        const options: Record<string, string | readonly string[]> = { pivot: info.key }
        if (!(selfProps.length === 1 && selfProps[0] === foreignKeyProp(parentInfo.key))) options.pivotForeignKey = keyOption(selfProps)
        if (!(otherProps.length === 1 && otherProps[0] === foreignKeyProp(related.key))) options.pivotRelatedKey = keyOption(otherProps)
        if (options.pivotForeignKey && options.pivotForeignKey === options.pivotRelatedKey) continue
        const keyColumns = new Set([...self.columns, ...other.columns])
        const extra = info.source.columns
          .filter((c) => !keyColumns.has(c.name) && !c.autoIncrement && c.name !== 'created_at' && c.name !== 'updated_at')
          .map((c) => info.propOf.get(c.name)!)
        if (extra.length) options.pivotColumns = extra
        if (!isPrimary(parentInfo, self.referencedColumns)) options.localKey = keyOption(keyProps(parentInfo, self.referencedColumns))
        if (!isPrimary(related, other.referencedColumns)) options.ownerKey = keyOption(keyProps(related, other.referencedColumns))
        // users <-> users through follows(follower_id, followed_id): named after the other key (followeds).
        const selfReferencing = self.referencedTable === other.referencedTable
        const base = selfReferencing && otherProps.length === 1 && /.Id$/.test(otherProps[0])
          ? plural(otherProps[0].slice(0, -2))
          : lowerFirst(identifier(plural(related.key)))
        parent.relations.push({ name: claim(parent, base, `Via${upperFirst(info.key)}`), kind: 'belongsToMany', target: related.key, options })
      }
      continue
    }
    for (const fk of fks) {
      const parent = byName.get(fk.referencedTable)!
      const parentInfo = infos.get(fk.referencedTable)!
      const fkProps = keyProps(info, fk.columns)
      const oneToOne = sameSet(info.source.primaryKey, fk.columns) || info.source.uniques.some((u) => sameSet(u, fk.columns))
      const options: Record<string, string | readonly string[]> = {}
      if (!(fkProps.length === 1 && fkProps[0] === foreignKeyProp(parentInfo.key))) options.foreignKey = keyOption(fkProps)
      if (!isPrimary(parentInfo, fk.referencedColumns)) options.localKey = keyOption(keyProps(parentInfo, fk.referencedColumns))
      const word = oneToOne ? singular(info.key) : plural(info.key)
      const sameTarget = fks.filter((f) => f.referencedTable === fk.referencedTable).length
      const role = fkProps.length === 1 && /.Id$/.test(fkProps[0]) ? fkProps[0].slice(0, -2) : undefined
      // posts.author_id and posts.editor_id -> users.postsAsAuthor, users.postsAsEditor; users.manager_id -> users.usersAsManager.
      const qualified = role && (sameTarget > 1 || fk.referencedTable === table.name) && fkProps[0] !== foreignKeyProp(parentInfo.key)
      const base = lowerFirst(identifier(word)) + (qualified ? `As${upperFirst(role)}` : '')
      const name = claim(parent, base, role && !qualified ? `As${upperFirst(role)}` : 'Rows')
      parent.relations.push({ name, kind: oneToOne ? 'hasOne' : 'hasMany', target: info.key, options })
    }
  }
}

/** Foreign keys in the order of their first column in the table. */
function sortKeys(fks: readonly IntrospectedForeignKey[], info: TableInfo): IntrospectedForeignKey[] {
  const position = (fk: IntrospectedForeignKey) => info.source.columns.findIndex((c) => c.name === fk.columns[0])
  return [...fks].sort((a, b) => position(a) - position(b))
}

/** Tables on a cycle of foreign keys (a self-reference counts). */
function cyclicTables(infos: ReadonlyMap<string, TableInfo>, foreignKeys: ReadonlyMap<string, readonly IntrospectedForeignKey[]>): Set<string> {
  const edges = (name: string) => (foreignKeys.get(name) ?? []).map((fk) => fk.referencedTable)
  const result = new Set<string>()
  for (const start of infos.keys()) {
    const seen = new Set<string>()
    const stack = [...edges(start)]
    while (stack.length) {
      const next = stack.pop()!
      if (next === start) {
        result.add(start)
        break
      }
      if (seen.has(next)) continue
      seen.add(next)
      stack.push(...edges(next))
    }
  }
  return result
}

/** Referenced tables first (ties and cycles by name), so the file reads top-down. */
function orderByReferences(
  tables: PulledTable[],
  infos: ReadonlyMap<string, TableInfo>,
  foreignKeys: ReadonlyMap<string, readonly IntrospectedForeignKey[]>,
): PulledTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const done = new Set<string>()
  const visiting = new Set<string>()
  const order: PulledTable[] = []
  const visit = (name: string) => {
    if (done.has(name) || visiting.has(name)) return
    visiting.add(name)
    for (const fk of foreignKeys.get(name) ?? []) if (infos.has(fk.referencedTable)) visit(fk.referencedTable)
    visiting.delete(name)
    done.add(name)
    order.push(byName.get(name)!)
  }
  for (const table of tables) visit(table.name)
  return order
}
