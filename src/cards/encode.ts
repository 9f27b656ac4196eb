import sharp from 'sharp'
import { CardFitError } from './fit-error.ts'
import { rasterise } from './rasterise.ts'

// @NOTE Bluesky refuses images over ~976 KB and X over 5 MB. A card is a flat design, so PNG is small and sharp;
// when one is not (e.g. many emoji), fall back to a palette PNG, then JPEG at falling quality.
// Every step is deterministic (fixed options, no metadata), so the same SVG always gives the same bytes.

export const MAX_CARD_BYTES = 976_000

/**
 * zlib-ng level 4, no row filters. Measured on the sample cards (resvg pixels, one core): 7–8 ms and 89 KB a
 * card, against 10 ms and 82 KB at level 6, 37 ms and 68 KB at level 8; librsvg's pixels at level 6 (before)
 * made 135 KB files. Adaptive row filters cost 4× the time for a bigger file: flat colours compress best
 * unfiltered. BENCHMARKS.md records the figures of each run.
 */
const PNG_OPTIONS = { compressionLevel: 4, adaptiveFiltering: false } as const

export interface Encoded {
  data: Buffer
  mime: 'image/png' | 'image/jpeg'
}

/** Encodes a card's SVG (which carries its own pixel size) within `limit` bytes. */
export async function encodeCard(svg: string, limit = MAX_CARD_BYTES): Promise<Encoded> {
  // The card is opaque, so the alpha channel is dropped: an RGBA PNG is 11% larger (101 KB against 91 KB a
  // card). Not for speed: libvips' band extraction is a quarter of the encode's instructions (38 of 95 M a card,
  // callgrind; a JavaScript loop doing it costs as much), more than the deflate it shortens saves. The raster
  // is kept for the fallbacks, so an oversized card is drawn once, not once per attempt.
  const raster = rasterise(svg)
  const input = () =>
    sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 4 } }).removeAlpha()
  const png = await input().png(PNG_OPTIONS).toBuffer()
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
