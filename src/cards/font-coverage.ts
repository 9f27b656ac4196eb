import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { digestOf, type LoadedFont } from './fonts.ts'

// @NOTE Which code points the card fonts draw is read from their cmap tables, forty of them: the slowest part of
// starting `validate`. `npm run build` stores the answer beside this module in dist/, under the hash of every
// font byte it came from; a run whose fonts hash otherwise (an upgraded font package, an edited file) ignores
// the stored answer and reads the cmaps again, so it is never stale. Run from src/ there is no stored file.

/** Inclusive [first, last] code point runs, in order. */
type Ranges = [number, number][]

interface Stored {
  /** digestOf the fonts the ranges were read from. */
  fonts: string
  ranges: Ranges
}

const STORED = fileURLToPath(new URL('./font-coverage.json', import.meta.url))

function rangesOf(fonts: LoadedFont[]): Ranges {
  const points = new Set<number>()
  for (const f of fonts) for (const cp of f.metrics.glyphs.keys()) points.add(cp)
  const ranges: Ranges = []
  for (const cp of [...points].sort((a, b) => a - b)) {
    const last = ranges.at(-1)
    if (last && last[1] === cp - 1) last[1] = cp
    else ranges.push([cp, cp])
  }
  return ranges
}

/** The stored answer; a missing or unreadable file only means reading the cmaps again. */
function readStored(file: string): Stored | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Stored
  } catch {
    return undefined
  }
}

/** Whether a code point is drawn by any of `fonts`: from `file` when it was stored from these very bytes. */
export function fontCoverage(fonts: LoadedFont[], file = STORED): (cp: number) => boolean {
  const stored = readStored(file)
  const ranges = stored?.fonts === digestOf(fonts) ? stored.ranges : rangesOf(fonts)
  return (cp) => {
    let lo = 0
    let hi = ranges.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const [first, last] = ranges[mid] as [number, number]
      if (cp < first) hi = mid - 1
      else if (cp > last) lo = mid + 1
      else return true
    }
    return false
  }
}

/** Stores the fonts' coverage for later runs (bin/build.mjs, into dist/). */
export function storeFontCoverage(fonts: LoadedFont[], file = STORED): void {
  const stored: Stored = { fonts: digestOf(fonts), ranges: rangesOf(fonts) }
  writeFileSync(file, `${JSON.stringify(stored)}\n`)
}
