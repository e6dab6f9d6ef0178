import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { createDb, defineSchema } from '@orm/core'
import { Command, CommanderError } from 'commander'
import pc from 'picocolors'
import { loadConfig, moduleLoader, type ResolvedConfig } from './config.js'
import { CliError, firstLine, isOrmError } from './errors.js'
import { makeMigration } from './migrations/files.js'
import { Migrator, type MigrationEvent } from './migrations/migrator.js'
import { columns, formatMs, formatTime, processIo, type Colors, type Io } from './output.js'
import { pull } from './pull/pull.js'

const VERSION = '0.1.0'

interface GlobalOptions {
  config?: string
  debug?: boolean
}

/**
 * Runs the `orm` command line and returns the exit code: 0, or 1 after printing one line that says what went
 * wrong (`--debug` adds the stack). Never calls process.exit, so tests and scripts can run it in-process.
 */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const c = pc.createColors(io.color)
  const out = (line = '') => io.stdout(line + '\n')
  const program = new Command('orm')
  program
    .description('Migrations and introspection for @orm/core.')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'the config file (default: orm.config.ts in the current folder)')
    .option('--debug', 'print the stack trace of an error')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(c.red(text)) })
    .showHelpAfterError('(run orm --help for the commands)')

  const globals = () => program.opts<GlobalOptions>()
  const config = () => loadConfig({ cwd: io.cwd, file: globals().config })

  program
    .command('migrate')
    .description('run the migrations that have not run yet, as one batch')
    .option(...LOCK_TIMEOUT)
    .action(async (options: LockOptions) => {
      await withMigrator(await config(), io, c, options, async (migrator, resolved) => {
        // Reading the migrations table first: a database that cannot be reached is reported even with no files.
        const pending = await migrator.pending()
        if (migrator.files().length === 0) {
          out(c.yellow(`No migrations in ${shortPath(io, resolved.migrationsDir)}.`) + ' Make one: orm make:migration create_users_table')
          return
        }
        if (pending.length === 0) {
          out(c.green('Nothing to migrate.') + c.dim(` Every migration in ${shortPath(io, resolved.migrationsDir)} has run.`))
          return
        }
        out(c.dim(`Migrating ${resolved.config.dialect.name} ${migrator.transactional ? '(each migration in a transaction)' : '(no transactional DDL on this database)'}`))
        const result = await migrator.migrate()
        if (result.migrations.length === 0) out(c.green('Nothing to migrate.') + c.dim(' Another run applied them while this one waited for its lock.'))
        else out(c.green(`Ran ${plural(result.migrations.length, 'migration')} in batch ${result.batch}.`))
      })
    })

  program
    .command('migrate:rollback')
    .description('undo the last batch of migrations (or the last --step migrations), newest first')
    .option('--step <n>', 'undo this many migrations instead of the last batch', (v) => Number(v))
    .option(...LOCK_TIMEOUT)
    .action(async (options: { step?: number } & LockOptions) => {
      await withMigrator(await config(), io, c, options, async (migrator) => {
        const result = await migrator.rollback({ steps: options.step })
        if (result.migrations.length === 0) out(c.green('Nothing to roll back.'))
        else out(c.green(`Rolled back ${plural(result.migrations.length, 'migration')}${result.batch ? ` (batch ${result.batch})` : ''}.`))
      })
    })

  program
    .command('migrate:status')
    .description('list every migration, ran or pending')
    .action(async () => {
      await withMigrator(await config(), io, c, {}, async (migrator, resolved) => {
        const status = await migrator.status()
        if (status.length === 0) {
          out(`No migrations in ${shortPath(io, resolved.migrationsDir)}. Make one: orm make:migration create_users_table`)
          return
        }
        const rows = [
          [c.bold('Status'), c.bold('Batch'), c.bold('Migration'), c.bold('Ran at (UTC)')],
          ...status.map((s) => [
            s.missing ? c.yellow('Ran, file missing') : s.ran ? c.green('Ran') : c.yellow('Pending'),
            s.batch === undefined ? '' : String(s.batch),
            s.name,
            formatTime(s.ranAt),
          ]),
        ]
        for (const line of columns(rows)) out(line)
        const ran = status.filter((s) => s.ran).length
        out()
        out(`${plural(status.length, 'migration')}: ${ran} ran, ${status.length - ran} pending.`)
      })
    })

  program
    .command('make:migration')
    .description('write a new migration file: <timestamp>_<name>.ts with up() and down()')
    .argument('<name>', 'what it does, e.g. create_users_table or add_slug_to_posts')
    .option('--create <table>', 'start with createTable/dropTable for this table (inferred from create_<table>_table)')
    .action(async (name: string, options: { create?: string }) => {
      const resolved = await config()
      const path = makeMigration(resolved.migrationsDir, name, { table: options.create })
      out(c.green('Created ') + shortPath(io, path))
    })

  program
    .command('pull')
    .description('read the database and write a schema file: tables, columns, keys and the relations foreign keys imply')
    .option('-o, --out <file>', 'where to write it, "-" for stdout (default: pull.out of the config, else schema.ts)')
    .option('--tables <patterns...>', 'only these tables (* matches anything), e.g. --tables "blog_*" users')
    .option('--exclude <patterns...>', 'leave these tables out')
    .action(async (options: { out?: string; tables?: string[]; exclude?: string[] }) => {
      const resolved = await config()
      const result = await pull(resolved.config.dialect, {
        tables: options.tables,
        exclude: options.exclude,
        migrationsTable: resolved.migrationsTable,
      })
      if (options.out === '-') {
        io.stdout(result.source)
        return
      }
      const path = options.out ? resolve(io.cwd, options.out) : resolved.pullOut
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, result.source)
      const tables = result.schema.tables.length
      const relations = result.schema.tables.reduce((n, t) => n + t.relations.length, 0)
      if (tables === 0) {
        out(c.yellow(`The database has no tables${options.tables ? ' matching --tables' : ''}; wrote an empty schema to ${shortPath(io, path)}.`))
      } else {
        out(c.green(`Wrote ${shortPath(io, path)}: `) + `${plural(tables, 'table')}, ${plural(relations, 'relation')}.`)
      }
      for (const warning of result.schema.warnings) out(c.yellow(`  note: ${warning}`))
    })

  try {
    await program.parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode
    report(error, io, c, !!globals().debug)
    return 1
  }
}

interface LockOptions {
  lockTimeout?: number
}

/** migrate and migrate:rollback wait this long for another run's lock. */
const LOCK_TIMEOUT = [
  '--lock-timeout <seconds>',
  'wait this long for another orm migrate on the same database to finish (default 60)',
  (v: string) => Number(v),
] as const

async function withMigrator(
  resolved: ResolvedConfig,
  io: Io,
  c: Colors,
  options: LockOptions,
  body: (migrator: Migrator, resolved: ResolvedConfig) => Promise<void>,
): Promise<void> {
  const schema = resolved.config.schema ?? defineSchema({})
  const db = createDb({ schema, dialect: resolved.config.dialect })
  const migrator = new Migrator({
    db,
    dir: resolved.migrationsDir,
    table: resolved.migrationsTable,
    load: moduleLoader(resolved.root),
    lockTimeoutMs: lockTimeoutMs(options.lockTimeout),
    onProgress: (event: MigrationEvent) => {
      const verb = event.direction === 'up' ? 'Migrating' : 'Rolling back'
      if (event.phase === 'start') io.stdout(`  ${verb} ${event.name} ... `)
      else io.stdout(c.green('done') + c.dim(` ${formatMs(event.durationMs ?? 0)}`) + '\n')
    },
  })
  try {
    await body(migrator, resolved)
  } catch (error) {
    // Finish the progress line a failed migration left open.
    if (error instanceof CliError && /^Migration /.test(error.message)) io.stdout(c.red('failed') + '\n')
    throw error
  } finally {
    await db.close().catch(() => {})
  }
}

function lockTimeoutMs(seconds: number | undefined): number | undefined {
  if (seconds === undefined) return undefined
  if (!Number.isFinite(seconds) || seconds < 0) throw new CliError('--lock-timeout must be a number of seconds, 0 or more.')
  return seconds * 1000
}

/** One line on stderr: the error's message, and with --debug its stack and causes. */
function report(error: unknown, io: Io, c: Colors, debug: boolean): void {
  const known = error instanceof CliError || isOrmError(error)
  const prefix = known ? 'error' : 'unexpected error'
  io.stderr(c.red(`${prefix}: ${firstLine(error)}`) + '\n')
  if (debug) {
    let current: unknown = error
    while (current instanceof Error) {
      io.stderr(c.dim(current.stack ?? String(current)) + '\n')
      current = current.cause
    }
  } else if (!known) {
    io.stderr(c.dim('(run with --debug for the stack trace)') + '\n')
  }
}

function shortPath(io: Io, path: string): string {
  const rel = relative(io.cwd, path)
  return rel && !rel.startsWith('..') ? rel : path
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

