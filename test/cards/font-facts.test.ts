import { copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fontAdvanceEm, fontFacts, fontFingerprint, storeFontFacts } from '../../src/cards/font-facts.ts'
import { cardFontFiles, cardFonts, type FontFile } from '../../src/cards/fonts.ts'

// The build stores what `validate` asks of the card fonts (which code points they draw, the sans-serif widths);
// a run trusts that only for the very font files it was read from.

const ALEF = 0x627
let dir: string
let file: string
const fonts = cardFonts()

beforeAll(async () => {
  await mkdir('test/.tmp', { recursive: true })
  dir = await mkdtemp(join('test/.tmp', 'font-facts-'))
  file = join(dir, 'font-facts.json')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('stored font facts', () => {
  it('answer as the fonts’ own cmaps and advances do, for every code point', () => {
    storeFontFacts(file)
    const stored = fontFacts(file)
    let drawn = 0
    for (let cp = 0; cp <= 0x1ffff; cp++) {
      const own = fonts.some((f) => f.metrics.glyphs.has(cp))
      if (stored.drawn(cp) !== own)
        expect.unreachable(`U+${cp.toString(16)}: stored ${stored.drawn(cp)}, cmaps ${own}`)
      if (own) drawn++
      for (const weight of [400, 700] as const) {
        const em = fontAdvanceEm(fonts, 'sans', weight, cp)
        if (stored.sansAdvanceEm(cp, weight) !== em) expect.unreachable(`U+${cp.toString(16)} at ${weight}`)
      }
    }
    expect(drawn).toBeGreaterThan(3000)
    expect(stored.drawn(ALEF)).toBe(true)
  })

  it('are what a run with the same font files uses', async () => {
    storeFontFacts(file)
    const stored = JSON.parse(await readFile(file, 'utf8')) as { fonts: string; ranges: unknown }
    await writeFile(file, JSON.stringify({ ...stored, ranges: [] }))
    expect(fontFacts(file).drawn('A'.codePointAt(0) ?? 0)).toBe(false)
  })

  it('are read again from the fonts when they were stored from other font files', async () => {
    storeFontFacts(file)
    const stored = JSON.parse(await readFile(file, 'utf8')) as { fonts: string; ranges: unknown }
    await writeFile(file, JSON.stringify({ ...stored, fonts: `${stored.fonts}x`, ranges: [] }))
    expect(fontFacts(file).drawn('A'.codePointAt(0) ?? 0)).toBe(true)
    expect(fontFacts(file).sansAdvanceEm('A'.codePointAt(0) ?? 0, 700)).toBe(
      fontAdvanceEm(fonts, 'sans', 700, 'A'.codePointAt(0) ?? 0),
    )
  })

  it('tell font files apart by package version, size and modification time', async () => {
    const [first] = cardFontFiles() as [FontFile]
    const copy: FontFile = { ...first, file: join(dir, 'copy.woff') }
    await copyFile(first.file, copy.file)
    await utimes(copy.file, 1_000_000, 1_000_000)
    const before = fontFingerprint([copy])
    expect(fontFingerprint([{ ...copy, version: `${copy.version}-next` }])).not.toBe(before)
    // An edited file: rewritten, so its modification time moves even when its size stays.
    await utimes(copy.file, 2_000_000, 2_000_000)
    expect(fontFingerprint([copy])).not.toBe(before)
    await writeFile(copy.file, 'wOFF')
    await utimes(copy.file, 1_000_000, 1_000_000)
    expect(fontFingerprint([copy])).not.toBe(before)
  })
})
