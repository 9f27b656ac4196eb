import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { cardFontFiles, cardFonts, type FontFile, type LoadedFont } from './fonts.ts'

// @NOTE What `validate` asks of the card fonts (which code points they draw, from forty cmap tables, and the
// widths of the footer's sans-serif text) is answered at `npm run build` and stored beside this module in
// dist/, so `validate` reads no font file: reading and hashing the forty files (1 MB), and inflating two,
// was the slowest part of its start. The stored answer names each font file's package version, size and
// modification time; a run whose fonts differ in any of them (an upgraded font package, an edited file)
// ignores it and reads the fonts again, so it is never used for other fonts. Run from src/ there is no
// stored file.

/** Inclusive [first, last] code point runs, in order. */
type Ranges = [number, number][]

export type Weight = 400 | 700

interface Stored {
  /** fontFingerprint of the files the facts were read from. */
  fonts: string
  ranges: Ranges
  /**
   * Per weight, the advance (em) of each code point of `ranges`, in order, in the first sans-serif font of
   * that weight that draws it (other fonts after the sans ones, as text.ts falls back); null where no font of
   * that weight draws it.
   */
  sans: Record<Weight, (number | null)[]>
}

const STORED = fileURLToPath(new URL('./font-facts.json', import.meta.url))

/** What tells these font files apart from any other: package version, size and modification time of each. */
export function fontFingerprint(files: FontFile[] = cardFontFiles()): string {
  return files
    .map((f) => {
      const s = statSync(f.file)
      return `${f.name}/${f.weight}@${f.version}:${s.size}:${s.mtimeMs}`
    })
    .join('\n')
}

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

/** The advance (em) of `cp` in the first of `fonts` of `weight` that draws it, the sans-serif ones first. */
export function fontAdvanceEm(
  fonts: LoadedFont[],
  role: LoadedFont['role'],
  weight: Weight,
  cp: number,
): number | undefined {
  const order = [...fonts].sort((a, b) => Number(b.role === role) - Number(a.role === role))
  const font = order.find((f) => f.weight === weight && f.metrics.glyphs.has(cp))
  const glyph = font?.metrics.glyphs.get(cp)
  return font && glyph !== undefined ? font.metrics.advance(glyph) / font.metrics.unitsPerEm : undefined
}

/** The stored facts when they were read from these very font files; a missing or unreadable file is none. */
function readStored(file: string): Stored | undefined {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored
    return stored.fonts === fontFingerprint() ? stored : undefined
  } catch {
    return undefined
  }
}

/** Index of `cp` among the code points of `ranges` (in order), or -1 when no range holds it. */
function indexIn(ranges: Ranges, starts: number[], cp: number): number {
  let lo = 0
  let hi = ranges.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const [first, last] = ranges[mid] as [number, number]
    if (cp < first) hi = mid - 1
    else if (cp > last) lo = mid + 1
    else return (starts[mid] ?? 0) + cp - first
  }
  return -1
}

/** What `validate` asks of the card fonts. */
export interface FontFacts {
  /** Whether any card font draws `cp`. */
  drawn(cp: number): boolean
  /** The code points some card font draws. */
  ranges(): Ranges
  /** The advance (em) of `cp` in the sans-serif stack at `weight`; undefined when no font of it draws `cp`. */
  sansAdvanceEm(cp: number, weight: Weight): number | undefined
}

/** Facts read off stored ranges and advances. */
function storedFacts(stored: Stored): FontFacts {
  const { ranges, sans } = stored
  const starts: number[] = []
  let n = 0
  for (const [first, last] of ranges) {
    starts.push(n)
    n += last - first + 1
  }
  return {
    drawn: (cp) => indexIn(ranges, starts, cp) >= 0,
    ranges: () => ranges,
    sansAdvanceEm: (cp, weight) => {
      const at = indexIn(ranges, starts, cp)
      return at < 0 ? undefined : (sans[weight][at] ?? undefined)
    },
  }
}

/** Facts read off the fonts themselves, each table when first asked for. */
function readFacts(): FontFacts {
  let read: FontFacts | undefined
  const covered = () => {
    read ??= storedFacts({ fonts: '', ranges: rangesOf(cardFonts()), sans: { 400: [], 700: [] } })
    return read
  }
  return {
    drawn: (cp) => covered().drawn(cp),
    ranges: () => covered().ranges(),
    sansAdvanceEm: (cp, weight) => fontAdvanceEm(cardFonts(), 'sans', weight, cp),
  }
}

/** The card fonts' facts: from `file` when it was stored from these very font files, else from the fonts. */
export function fontFacts(file = STORED): FontFacts {
  const stored = readStored(file)
  return stored ? storedFacts(stored) : readFacts()
}

let facts: FontFacts | undefined

/** fontFacts of the stored file, once per process. */
export function cardFontFacts(): FontFacts {
  facts ??= fontFacts()
  return facts
}

/** Stores the card fonts' facts for later runs (bin/build.mjs, into dist/). */
export function storeFontFacts(file = STORED): void {
  const fonts = cardFonts()
  const ranges = rangesOf(fonts)
  const sans: Stored['sans'] = { 400: [], 700: [] }
  for (const [first, last] of ranges) {
    for (let cp = first; cp <= last; cp++) {
      for (const weight of [400, 700] as const)
        sans[weight].push(fontAdvanceEm(fonts, 'sans', weight, cp) ?? null)
    }
  }
  const stored: Stored = { fonts: fontFingerprint(), ranges, sans }
  writeFileSync(file, `${JSON.stringify(stored)}\n`)
}
