import { count } from './measure.ts'

// How a cost grows, said in words from the measured numbers (never written by hand, so it cannot go stale).

const ratio = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`

/** The shape of growth from the exponent k in cost ∝ size^k. */
function shape(k: number): string {
  if (k < 0.25) return 'about flat'
  // Within ±0.1 of 1: ten times the size costs 7–13 times as much, inside the noise of a shared machine.
  if (k < 0.85) return 'slower than linear'
  if (k <= 1.1) return 'about linear'
  if (k < 1.75) return `faster than linear (about n^${k.toFixed(1)})`
  return `about quadratic or worse (n^${k.toFixed(1)})`
}

/**
 * "Fresh plan: about linear — 10× the quotes (1,000 → 10,000), 9.4× the time; 67× the quotes from 150, 41× the
 * time." The shape is read from the last step: at the smallest size fixed costs (start-up, a Redis round trip)
 * still dominate, so the first step says less about what a bigger bank will cost.
 */
export function growth(what: string, sizes: number[], costs: number[], noun: string): string {
  const n = Math.min(sizes.length, costs.length)
  const s0 = sizes[0]
  const c0 = costs[0]
  const s1 = sizes[n - 2]
  const c1 = costs[n - 2]
  const s2 = sizes[n - 1]
  const c2 = costs[n - 1]
  if (n < 2 || !s0 || !c0 || !s1 || !c1 || !s2 || !c2) return `${what}: too few figures to say how it grows.`
  const k = Math.log(c2 / c1) / Math.log(s2 / s1)
  const last = `${ratio(s2 / s1)} the ${noun} (${count(s1)} → ${count(s2)}), ${ratio(c2 / c1)} the time`
  const whole = n > 2 ? `; ${ratio(s2 / s0)} the ${noun} from ${count(s0)}, ${ratio(c2 / c0)} the time` : ''
  return `${what}: ${shape(k)} — ${last}${whole}.`
}
