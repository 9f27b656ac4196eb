import { createRequire } from 'node:module'
import { renderAsync } from '@resvg/resvg-js'

// @NOTE resvg draws satori's SVG (text is already paths, emoji are embedded SVG images) in about half the time
// librsvg takes, within a fraction of a level of it on average (test/cards/reference.test.ts pins the pixels).
// renderAsync runs on libuv's thread pool, so even an in-process render never blocks the event loop.

const require = createRequire(import.meta.url)

/** Part of every card's cache key: a different rasteriser may draw different pixels. */
export const RASTERISER = `resvg@${(require('@resvg/resvg-js/package.json') as { version: string }).version}`

// resvg-js copies every render into a second pixmap to apply `crop`, whose default is the whole image; a crop of
// zero size is no crop at all (tiny-skia refuses the empty rectangle), so the pixmap comes back as drawn: the
// same pixels without a 5 MB allocation and copy a card (18% of resvg's instructions on the sample cards).
const OPTIONS = {
  font: { loadSystemFonts: false },
  fitTo: { mode: 'original' },
  crop: { left: 0, top: 0, right: 0, bottom: 0 },
} as const

export interface Raster {
  /** RGBA, 8 bits a channel, row by row. */
  data: Buffer
  width: number
  height: number
}

/** Draws an SVG at its own pixel size. System fonts are never read: satori's SVG holds no text elements. */
export async function rasterise(svg: string): Promise<Raster> {
  const img = await renderAsync(svg, OPTIONS)
  return { data: img.pixels, width: img.width, height: img.height }
}
