// Timing and formatting shared by the bench sections. Timing lives here, never in tests: a test that times
// itself fails on a busy machine for no fault of the code.

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2
}
export const count = (n: number) => n.toLocaleString('en-US')
/** Tenths below a second, where they still mean something; whole milliseconds with separators above. */
export const ms = (x: number) => (x >= 1000 ? count(Math.round(x)) : x.toFixed(1))

/** Peak resident set size of this process so far, in MB (a high-water mark: it never goes down). */
export const peakRssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0)

/** Wall time of one call, with what it returned. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

/**
 * Median wall time of `rounds` calls after one that is not counted: the first call pays for the JIT and cold
 * file caches, which a long-running scheduler pays once, not per bank.
 */
export async function steady<T>(fn: () => T | Promise<T>, rounds = 3): Promise<{ ms: number; value: T }> {
  let last = await timed(fn)
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    last = await timed(fn)
    times.push(last.ms)
  }
  return { ms: median(times), value: last.value }
}
