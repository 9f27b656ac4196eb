import sharp from 'sharp'
import { CardFitError } from './fit-error.ts'
import { rasterise } from './rasterise.ts'

// @NOTE Bluesky refuses images over ~976 KB and X over 5 MB. A card is a flat design, so PNG is small and sharp;
// when one is not (e.g. many emoji), fall back to a palette PNG, then JPEG at falling quality.
// Every step is deterministic (fixed options, no metadata), so the same SVG always gives the same bytes.

export const MAX_CARD_BYTES = 976_000

/**
 * RGBA, zlib-ng level 2, no row filters: 49 M instructions a card on the sample cards (callgrind), against 90 M
 * for RGB at level 4 (before), 66 M for RGBA at level 3; 120 KB a card, against 89 KB and 108 KB. The card is
 * opaque, but dropping its alpha channel costs more than the deflate it shortens saves: libvips' band
 * extraction was 38 M instructions a card (a JavaScript loop doing it costs as much). The bigger file is the
 * price of 4–5 ms a card: still under the 135 KB that librsvg's pixels made at level 6 (issue 16's baseline),
 * an eighth of Bluesky's limit, so the fallbacks below stay for the unusual card. Level 1 (zlib-ng's quick
 * deflate) makes 183 KB. Adaptive row filters cost 4× the time for a bigger file: flat colours compress best
 * unfiltered. BENCHMARKS.md records the figures of each run.
 */
export const PNG_OPTIONS = { compressionLevel: 2, adaptiveFiltering: false } as const

export interface Encoded {
  data: Buffer
  mime: 'image/png' | 'image/jpeg'
}

/** Encodes a card's SVG (which carries its own pixel size) within `limit` bytes. */
export async function encodeCard(svg: string, limit = MAX_CARD_BYTES): Promise<Encoded> {
  // The raster is kept for the fallbacks, so an oversized card is drawn once, not once per attempt; the
  // fallbacks drop the alpha channel as before (JPEG has none), the first PNG keeps it (PNG_OPTIONS says why).
  const raster = rasterise(svg)
  const raw = () => sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 4 } })
  const input = () => raw().removeAlpha()
  const png = await raw().png(PNG_OPTIONS).toBuffer()
  if (png.length <= limit) return { data: png, mime: 'image/png' }
  const palette = await input().png({ palette: true, quality: 100, compressionLevel: 9 }).toBuffer()
  if (palette.length <= limit) return { data: palette, mime: 'image/png' }
  for (const quality of [92, 85, 75, 60]) {
    const jpeg = await input().jpeg({ quality, mozjpeg: true }).toBuffer()
    if (jpeg.length <= limit) return { data: jpeg, mime: 'image/jpeg' }
  }
  // The card's content (a long text of many emoji, say) is what makes it this heavy: the quote's to fix, like a
  // card that does not fit, so the same error type and no retry.
  throw new CardFitError(
    `the card image stays over ${limit} bytes even as JPEG at quality 60 (shorten the quote, or use fewer emoji)`,
  )
}
