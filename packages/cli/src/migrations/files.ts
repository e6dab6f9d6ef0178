import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { CliError } from '../errors.js'

/** A migration file: its name (the file name without extension, as recorded in the migrations table) and path. */
export interface MigrationFile {
  readonly name: string
  readonly path: string
}

const EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'])

/** The migration files of `dir`, ordered by name (the timestamp prefix orders them by creation). */
export function listMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return []
  const files: MigrationFile[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || /\.d\.[mc]?ts$/.test(entry.name) || entry.name.startsWith('.')) continue
    const ext = extname(entry.name)
    if (!EXTENSIONS.has(ext)) continue
    files.push({ name: basename(entry.name, ext), path: join(dir, entry.name) })
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (let i = 1; i < files.length; i++) {
    if (files[i].name === files[i - 1].name) {
      throw new CliError(`Two migration files are named ${files[i].name} (${basename(files[i - 1].path)}, ${basename(files[i].path)}); keep one.`)
    }
  }
  return files
}

/** 20250115093000: the UTC time, sortable, to the second. */
export function timestamp(date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
}

/** `Create users table` -> `create_users_table`; only letters, digits and underscores are kept. */
export function migrationSlug(name: string): string {
  const slug = name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
  if (!slug) throw new CliError(`"${name}" is not a migration name: use letters, digits and underscores, e.g. create_users_table.`)
  return slug
}

/** The table a migration name is about: create_users_table / create_users -> users. */
export function createdTable(slug: string): string | undefined {
  return /^create_([a-z0-9_]+?)(?:_table)?$/.exec(slug)?.[1]
}

/** The source of a new migration file: createTable/dropTable for `create_<table>`, else an empty up/down. */
export function migrationSource(slug: string, options: { table?: string } = {}): string {
  const table = options.table ?? createdTable(slug)
  const head = `import type { MigrationDb } from '@orm/cli'\n\n`
  if (table) {
    const name = JSON.stringify(table).slice(1, -1).replace(/'/g, "\\'")
    return head +
      `export async function up(db: MigrationDb): Promise<void> {\n` +
      `  await db.schema.createTable('${name}', (t) => {\n` +
      `    t.id()\n` +
      `    t.timestamps()\n` +
      `  })\n` +
      `}\n\n` +
      `export async function down(db: MigrationDb): Promise<void> {\n` +
      `  await db.schema.dropTable('${name}')\n` +
      `}\n`
  }
  return head +
    `export async function up(db: MigrationDb): Promise<void> {\n` +
    `  // await db.schema.createTable('flights', (t) => { t.id(); t.string('name'); t.timestamps() })\n` +
    `  // await db.schema.alterTable('flights', (t) => { t.string('airline').nullable() })\n` +
    `  // await db.execute(sql\`UPDATE ...\`)   (import { sql } from '@orm/core')\n` +
    `}\n\n` +
    `export async function down(db: MigrationDb): Promise<void> {\n` +
    `  // undo what up() did: await db.schema.dropTable('flights')\n` +
    `}\n`
}

/** Writes `<dir>/<timestamp>_<slug>.ts` and returns its path. Never overwrites a file. */
export function makeMigration(dir: string, name: string, options: { table?: string; now?: Date } = {}): string {
  const slug = migrationSlug(name)
  mkdirSync(dir, { recursive: true })
  const existing = listMigrations(dir)
  const taken = existing.find((m) => m.name.replace(/^\d+_/, '') === slug)
  if (taken) throw new CliError(`A migration named ${slug} already exists: ${basename(taken.path)}. Choose another name.`)
  let stamp = timestamp(options.now)
  // Two migrations made in the same second still sort in the order they were made.
  const last = existing.at(-1)?.name.match(/^(\d{14})_/)?.[1]
  if (last && last >= stamp) stamp = String(BigInt(last) + 1n)
  const path = join(dir, `${stamp}_${slug}.ts`)
  writeFileSync(path, migrationSource(slug, options), { flag: 'wx' })
  return path
}
