import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fontCoverage, storeFontCoverage } from '../../src/cards/font-coverage.ts'
import { cardFonts, type LoadedFont } from '../../src/cards/fonts.ts'

// The build stores which code points the card fonts draw; `validate` trusts that only for the very font bytes
// it was read from.

const ALEF = 0x627
let dir: string
let file: string
const fonts = cardFonts()

beforeAll(async () => {
  await mkdir('test/.tmp', { recursive: true })
  dir = await mkdtemp(join('test/.tmp', 'font-coverage-'))
  file = join(dir, 'font-coverage.json')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('stored font coverage', () => {
  it('answers as the fonts’ own cmaps do, for every code point', () => {
    storeFontCoverage(fonts, file)
    const stored = fontCoverage(fonts, file)
    let drawn = 0
    for (let cp = 0; cp <= 0x1ffff; cp++) {
      const own = fonts.some((f) => f.metrics.glyphs.has(cp))
      if (stored(cp) !== own) expect.unreachable(`U+${cp.toString(16)}: stored ${stored(cp)}, cmaps ${own}`)
      if (own) drawn++
    }
    expect(drawn).toBeGreaterThan(3000)
    expect(stored(ALEF)).toBe(true)
  })

  it('is what a run with the same font bytes uses', async () => {
    storeFontCoverage(fonts, file)
    const stored = JSON.parse(await readFile(file, 'utf8')) as { fonts: string; ranges: unknown }
    await writeFile(file, JSON.stringify({ ...stored, ranges: [] }))
    expect(fontCoverage(fonts, file)('A'.codePointAt(0) ?? 0)).toBe(false)
  })

  it('is read again from the fonts when any font’s bytes changed', () => {
    storeFontCoverage(fonts, file)
    // The Arabic fonts keep their names and weights but hold the Latin font's bytes, as an edited file would.
    const latin = fonts.find((f) => f.name === 'noto-sans-latin' && f.weight === 400) as LoadedFont
    const edited = fonts.map(
      (f): LoadedFont => (f.role === 'arabic' ? { ...f, data: latin.data, metrics: latin.metrics } : f),
    )
    expect(fontCoverage(fonts, file)(ALEF)).toBe(true)
    expect(fontCoverage(edited, file)(ALEF)).toBe(false)
  })
})
