import { lazyZlib } from '../core/lazy-builtins.ts'

// @NOTE A WOFF 1.0 file is an sfnt whose tables are zlib-compressed one by one. We read just the tables
// that answer "which characters does this font draw?" (cmap) and "how wide is this text?" (head, hhea,
// hmtx), so coverage and the fit prediction use the very files satori draws with, with no font library.

export interface FontMetrics {
  unitsPerEm: number
  ascender: number
  descender: number
  lineGap: number
  /** Code point → glyph id, for every code point the font maps to a real glyph (never glyph 0). */
  glyphs: Map<number, number>
  /** Advance width of a glyph in font units. */
  advance(glyph: number): number
}

class FontFileError extends Error {
  override name = 'FontFileError'
}

/**
 * The table directory, each table inflated only when asked for: the four we read are a few kilobytes, while
 * inflating every table (glyf above all) of the forty card fonts took longer than all of `validate`'s checks.
 */
function readTables(buf: Buffer, file: string): (tag: string) => Buffer {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'wOFF') {
    throw new FontFileError(
      `${file}: not a WOFF 1.0 file (signature ${JSON.stringify(buf.toString('latin1', 0, 4))})`,
    )
  }
  const numTables = buf.readUInt16BE(12)
  const entries = new Map<string, { raw: Buffer; compressed: boolean }>()
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20
    const tag = buf.toString('latin1', at, at + 4)
    const offset = buf.readUInt32BE(at + 4)
    const compLength = buf.readUInt32BE(at + 8)
    const origLength = buf.readUInt32BE(at + 12)
    entries.set(tag, { raw: buf.subarray(offset, offset + compLength), compressed: compLength < origLength })
  }
  return (tag) => {
    const t = entries.get(tag)
    if (!t) throw new FontFileError(`${file}: no '${tag}' table`)
    return t.compressed ? lazyZlib().inflateSync(t.raw) : t.raw
  }
}

function readFormat4(t: Buffer, at: number, into: Map<number, number>): void {
  const segCount = t.readUInt16BE(at + 6) / 2
  const ends = at + 14
  const starts = ends + segCount * 2 + 2
  const deltas = starts + segCount * 2
  const rangeOffsets = deltas + segCount * 2
  for (let s = 0; s < segCount; s++) {
    const end = t.readUInt16BE(ends + s * 2)
    const start = t.readUInt16BE(starts + s * 2)
    const delta = t.readInt16BE(deltas + s * 2)
    const rangeOffset = t.readUInt16BE(rangeOffsets + s * 2)
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff
      else {
        const g = t.readUInt16BE(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2)
        glyph = g === 0 ? 0 : (g + delta) & 0xffff
      }
      if (glyph !== 0) into.set(c, glyph)
    }
  }
}

function readFormat12(t: Buffer, at: number, into: Map<number, number>): void {
  const groups = t.readUInt32BE(at + 12)
  for (let g = 0; g < groups; g++) {
    const p = at + 16 + g * 12
    const start = t.readUInt32BE(p)
    const end = t.readUInt32BE(p + 4)
    const glyph0 = t.readUInt32BE(p + 8)
    for (let c = start; c <= end; c++) {
      const glyph = glyph0 + (c - start)
      if (glyph !== 0) into.set(c, glyph)
    }
  }
}

function readCmap(t: Buffer): Map<number, number> {
  const glyphs = new Map<number, number>()
  const count = t.readUInt16BE(2)
  for (let i = 0; i < count; i++) {
    const platform = t.readUInt16BE(4 + i * 8)
    const encoding = t.readUInt16BE(6 + i * 8)
    const offset = t.readUInt32BE(8 + i * 8)
    // Unicode subtables only: platform 0 (Unicode) or Windows BMP (3,1) / full (3,10).
    if (!(platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10)))) continue
    const format = t.readUInt16BE(offset)
    if (format === 4) readFormat4(t, offset, glyphs)
    else if (format === 12) readFormat12(t, offset, glyphs)
  }
  return glyphs
}

export function readWoff(buf: Buffer, file = 'font'): FontMetrics {
  const table = readTables(buf, file)
  const head = table('head')
  const hhea = table('hhea')
  const hmtx = table('hmtx')
  const numberOfHMetrics = hhea.readUInt16BE(34)
  const lastAdvance = hmtx.readUInt16BE((numberOfHMetrics - 1) * 4)
  return {
    unitsPerEm: head.readUInt16BE(18),
    ascender: hhea.readInt16BE(4),
    descender: hhea.readInt16BE(6),
    lineGap: hhea.readInt16BE(8),
    glyphs: readCmap(table('cmap')),
    advance: (glyph) => (glyph < numberOfHMetrics ? hmtx.readUInt16BE(glyph * 4) : lastAdvance),
  }
}
