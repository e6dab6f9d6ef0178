import pc from 'picocolors'

export type Colors = ReturnType<typeof pc.createColors>

/** Where the CLI writes: the process's streams, or strings in tests. */
export interface Io {
  readonly cwd: string
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly color: boolean
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: pc.isColorSupported,
  }
}

/** Rows as aligned columns; the widths ignore color codes. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))))
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visible(cell)))).join('  ').trimEnd())
}

/** 2025-01-15 09:30:00 (UTC). */
export function formatTime(date: Date | undefined): string {
  return date ? date.toISOString().replace('T', ' ').slice(0, 19) : ''
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`
}
