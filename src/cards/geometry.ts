import type { Script } from './text.ts'

// @NOTE Each format's boxes are fixed, so the fit only has to answer "what size fills this box" and a test can
// check the ink against the very same rectangles.

export interface Geometry {
  width: number
  height: number
  padX: number
  padY: number
  header: number
  /** Gaps between header, quote, attribution and footer. */
  gaps: [number, number, number]
  quoteHeight: number
  attributionHeight: number
  footer: number
  /** Quote font size range in px; the minimum is the smallest size still readable on a phone. */
  quoteSize: { max: number; min: number }
  /** Attribution font sizes at full scale: speaker line, role/organisation line. */
  attrSize: { primary: number; secondary: number }
  logo: number
  small: number
}

export const GEOMETRY = {
  landscape: {
    width: 1600,
    height: 900,
    padX: 96,
    padY: 64,
    header: 64,
    gaps: [36, 32, 24],
    quoteHeight: 456,
    attributionHeight: 120,
    footer: 40,
    quoteSize: { max: 84, min: 30 },
    attrSize: { primary: 36, secondary: 26 },
    logo: 60,
    small: 26,
  },
  square: {
    width: 1080,
    height: 1080,
    padX: 80,
    padY: 72,
    header: 60,
    gaps: [40, 36, 24],
    quoteHeight: 586,
    attributionHeight: 150,
    footer: 40,
    quoteSize: { max: 76, min: 28 },
    attrSize: { primary: 34, secondary: 26 },
    logo: 56,
    small: 26,
  },
  portrait: {
    width: 1080,
    height: 1350,
    padX: 80,
    padY: 88,
    header: 60,
    gaps: [56, 40, 28],
    quoteHeight: 790,
    attributionHeight: 160,
    footer: 40,
    quoteSize: { max: 80, min: 28 },
    attrSize: { primary: 36, secondary: 27 },
    logo: 56,
    small: 26,
  },
} as const satisfies Record<string, Geometry>

export const ACCENT_BAR = 8
export const ACCENT_GAP = 32

/** The quote's text box inside the card, in px: the rectangle no quote ink may leave. */
export function quoteBox(
  g: Geometry,
  script: Script,
): { left: number; top: number; width: number; height: number } {
  const inner = g.width - 2 * g.padX - ACCENT_BAR - ACCENT_GAP
  const left = script === 'arabic' ? g.padX : g.padX + ACCENT_BAR + ACCENT_GAP
  return { left, top: g.padY + g.header + g.gaps[0], width: inner, height: g.quoteHeight }
}

// Glyph ink can overhang its advance box (a serif J's hook, accents above capitals, Arabic swashes): the text is
// laid out this far inside the quote box, so its ink still lands inside.
export const INK_PAD_X = 12
export const INK_PAD_EM = 0.15

/** Width and height the quote's lines may take at `size` px. */
export function textRoom(g: Geometry, script: Script, size: number): { width: number; height: number } {
  const box = quoteBox(g, script)
  return { width: box.width - 2 * INK_PAD_X, height: box.height - 2 * INK_PAD_EM * size }
}

export const LINE_HEIGHT: Record<Script, number> = { latin: 1.3, arabic: 1.6, myanmar: 1.75 }
export const ATTR_LINE_HEIGHT = 1.3
