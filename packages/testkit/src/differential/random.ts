/** A seeded random source (mulberry32), so every generated case can be replayed from its seed. */
export class Random {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('Random.pick of an empty list')
    return list[Math.floor(this.next() * list.length)]
  }

  /** `count` distinct items of `list`, in a random order. */
  sample<T>(list: readonly T[], count: number): T[] {
    const copy = [...list]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    return copy.slice(0, Math.max(0, Math.min(count, copy.length)))
  }
}

/** The seed of case `index` of a run started with `seed`: case 0 uses `seed` itself, so a case replays alone. */
export function caseSeed(seed: number, index: number): number {
  if (index === 0) return seed >>> 0
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}
