import { performance } from 'node:perf_hooks'

/** One operation of one side; `i` counts that side's operations. It may answer synchronously. */
export type Op = (i: number) => unknown

export interface MeasureOptions {
  readonly raw: Op
  readonly orm: Op
  /** Untimed, after every batch (and every warm-up operation). */
  readonly between?: () => unknown
  /** Warm-up time; it also sizes the batches. */
  readonly warmupMs: number
  /** At least this many warm-up operations per side (default 5), however long they take. */
  readonly warmupOps?: number
  /** Measuring time for both sides together. */
  readonly budgetMs: number
  readonly minRounds: number
  readonly maxRounds: number
  /** How long one side's batch should take, so the clock's resolution and its own cost do not matter. */
  readonly batchMs: number
}

export interface Measurement {
  /** Median microseconds per operation. */
  readonly rawUs: number
  readonly ormUs: number
  /**
   * ORM/raw per round (the two batches of a round run back to back, so load on the machine hits both alike):
   * the median and the 25th and 75th percentiles.
   */
  readonly ratio: number
  readonly ratioLow: number
  readonly ratioHigh: number
  readonly rounds: number
  readonly batch: number
}

async function call(op: Op, i: number): Promise<void> {
  const result = op(i) as { then?: unknown } | undefined
  if (result && typeof result.then === 'function') await result
}

/**
 * Interleaved measurement. After a warm-up of both sides, each round times one batch of raw operations and one
 * batch of ORM operations, alternating which goes first, so drift (other load on the machine, the JIT, caches,
 * table growth) falls on both sides alike. The result is the median over rounds of the time per operation.
 */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  const { raw, orm, between } = options
  let rawI = 0
  let ormI = 0
  let rawMs = 0
  let ormMs = 0
  let warm = 0
  const warmStart = performance.now()
  const minWarm = options.warmupOps ?? 5
  while (warm < minWarm || performance.now() - warmStart < options.warmupMs) {
    let t = performance.now()
    await call(raw, rawI++)
    rawMs += performance.now() - t
    await between?.()
    t = performance.now()
    await call(orm, ormI++)
    ormMs += performance.now() - t
    await between?.()
    warm++
  }
  const slowest = Math.max(rawMs, ormMs) / warm
  const batch = Math.max(1, Math.min(2000, Math.round(options.batchMs / slowest)))

  const rawSamples: number[] = []
  const ormSamples: number[] = []
  const start = performance.now()
  let round = 0
  const timeBatch = async (op: Op, first: number): Promise<number> => {
    const t = performance.now()
    for (let j = 0; j < batch; j++) await call(op, first + j)
    const us = ((performance.now() - t) * 1000) / batch
    await between?.()
    return us
  }
  while (round < options.maxRounds && (round < options.minRounds || performance.now() - start < options.budgetMs)) {
    if (round % 2 === 0) {
      rawSamples.push(await timeBatch(raw, rawI))
      ormSamples.push(await timeBatch(orm, ormI))
    } else {
      ormSamples.push(await timeBatch(orm, ormI))
      rawSamples.push(await timeBatch(raw, rawI))
    }
    rawI += batch
    ormI += batch
    round++
  }
  const ratios = ormSamples.map((orm, i) => orm / rawSamples[i]).sort((a, b) => a - b)
  return {
    rawUs: median(rawSamples),
    ormUs: median(ormSamples),
    ratio: median(ratios),
    ratioLow: quantile(ratios, 0.25),
    ratioHigh: quantile(ratios, 0.75),
    rounds: round,
    batch,
  }
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
