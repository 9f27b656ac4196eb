import sharp from 'sharp'

// @NOTE Bluesky refuses images over ~976 KB and X over 5 MB. A card is a flat design, so PNG is small and sharp;
// when one is not (e.g. many emoji), fall back to a palette PNG, then JPEG at falling quality.
// Every step is deterministic (fixed options, no metadata), so the same SVG always gives the same bytes.

export const MAX_CARD_BYTES = 976_000

export interface Encoded {
  data: Buffer
  mime: 'image/png' | 'image/jpeg'
}

/** Encodes a card's SVG (which carries its own pixel size) within `limit` bytes. */
export async function encodeCard(svg: string, limit = MAX_CARD_BYTES): Promise<Encoded> {
  // The common case is one pipeline (librsvg straight into the PNG encoder); only an oversized card is
  // rasterised again for the fallbacks. The card is opaque, so the alpha channel is dropped (smaller, faster).
  const svgBytes = Buffer.from(svg)
  const png = await sharp(svgBytes)
    .removeAlpha()
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer()
  if (png.length <= limit) return { data: png, mime: 'image/png' }
  const raw = await sharp(svgBytes).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const input = () => sharp(raw.data, { raw: raw.info })
  const palette = await input().png({ palette: true, quality: 100, compressionLevel: 9 }).toBuffer()
  if (palette.length <= limit) return { data: palette, mime: 'image/png' }
  for (const quality of [92, 85, 75, 60]) {
    const jpeg = await input().jpeg({ quality, mozjpeg: true }).toBuffer()
    if (jpeg.length <= limit) return { data: jpeg, mime: 'image/jpeg' }
  }
  throw new Error(`card image stays over ${limit} bytes even as JPEG at quality 60`)
}
