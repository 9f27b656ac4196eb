import { createRequire } from 'node:module'

// @NOTE resvg draws satori's SVG (text is already paths, emoji are embedded SVG images) in about half the time
// librsvg takes, within a fraction of a level of it on average (test/cards/reference.test.ts pins the pixels).
// It draws synchronously, on the calling thread: cards are drawn in the card pool's threads (render-pool.ts),
// whose loop has nothing else to do meanwhile. renderAsync drew on libuv's four threads instead, each keeping
// pixmaps in a mimalloc heap of its own that the pool thread's frees could not reuse: 33 cards in a row in one
// pool thread peaked 20 MB higher (Node 24, medians of 4: 224 against 203 MB; Node 20 as installed 248
// against 231), for no speed we could measure.

const require = createRequire(import.meta.url)

/** Part of every card's cache key: a different rasteriser may draw different pixels. */
export const RASTERISER = `resvg@${(require('@resvg/resvg-js/package.json') as { version: string }).version}`

/**
 * resvg-js allocates with mimalloc, which hands freed memory back to the OS 10 ms after a free: every card's
 * pixmap and pixel copy (5 MB each) then came back as fresh pages, ~2,800 page faults a card (5–6 ms of kernel
 * time on the sample cards). Freed memory kept for a second is reused by the next card (~300 faults, mostly
 * satori's). mimalloc reads its options once, when the addon is loaded, from the process's environment, which
 * a worker thread's `process.env` does not reach: the card pool calls this on its own thread before starting
 * any. A value set by the user wins.
 */
export function keepRasterMemory(): void {
  process.env.MIMALLOC_PURGE_DELAY ??= '1000'
}

let resvg: typeof import('@resvg/resvg-js') | undefined

/** Loaded on first use, after keepRasterMemory: a static import would load the addon before it ran. */
function loadResvg(): typeof import('@resvg/resvg-js') {
  keepRasterMemory()
  resvg ??= require('@resvg/resvg-js') as typeof import('@resvg/resvg-js')
  return resvg
}

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

let drawn = 0

/** Draws an SVG at its own pixel size. System fonts are never read: satori's SVG holds no text elements. */
export function rasterise(svg: string): Raster {
  const img = new (loadResvg().Resvg)(svg, OPTIONS).render()
  drawn++
  return { data: img.pixels, width: img.width, height: img.height }
}

/**
 * How many rasters were drawn since the last call. Each leaves resvg's own pixmap (5 MB, in mimalloc's memory)
 * behind its JavaScript wrapper until V8 collects that wrapper in a full collection: V8 is never told the
 * wrapper holds 5 MB, and a card pool thread's old generation grows too slowly to start one by itself.
 */
export function rastersDrawn(): number {
  const n = drawn
  drawn = 0
  return n
}
