import { createRequire } from 'node:module'
import { renderAsync } from '@resvg/resvg-js'

// @NOTE resvg draws satori's SVG (text is already paths, emoji are embedded SVG images) in about half the time
// librsvg takes, within a fraction of a level of it on average (test/cards/reference.test.ts pins the pixels).
// renderAsync runs on libuv's thread pool, so even an in-process render never blocks the event loop.

const require = createRequire(import.meta.url)

/** Part of every card's cache key: a different rasteriser may draw different pixels. */
export const RASTERISER = `resvg@${(require('@resvg/resvg-js/package.json') as { version: string }).version}`

export interface Raster {
  /** RGBA, 8 bits a channel, row by row. */
  data: Buffer
  width: number
  height: number
}

/** Draws an SVG at its own pixel size. System fonts are never read: satori's SVG holds no text elements. */
export async function rasterise(svg: string): Promise<Raster> {
  const img = await renderAsync(svg, { font: { loadSystemFonts: false }, fitTo: { mode: 'original' } })
  return { data: img.pixels, width: img.width, height: img.height }
}
