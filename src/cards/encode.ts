import sharp from 'sharp'

// @NOTE Bluesky refuses images over ~976 KB and X over 5 MB. A card is a flat design, so PNG is small and sharp;
// when one is not (e.g. many emoji), fall back to a palette PNG, then JPEG at falling quality.
// Every step is deterministic (fixed options, no metadata), so the same SVG always gives the same bytes.

export const MAX_CARD_BYTES = 976_000

export interface Encoded {
  data: Buffer
  mime: 'image/png' | 'image/jpeg'
}

export async function encodeCard(
  svg: string,
  width: number,
  height: number,
  limit = MAX_CARD_BYTES,
): Promise<Encoded> {
  // Rasterise once; encoders then run on raw pixels.
  const raw = await sharp(Buffer.from(svg))
    .resize(width, height)
    .flatten()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const input = () => sharp(raw.data, { raw: raw.info })
  const png = await input().png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer()
  if (png.length <= limit) return { data: png, mime: 'image/png' }
  const palette = await input().png({ palette: true, quality: 100, compressionLevel: 9 }).toBuffer()
  if (palette.length <= limit) return { data: palette, mime: 'image/png' }
  for (const quality of [92, 85, 75, 60]) {
    const jpeg = await input().jpeg({ quality, mozjpeg: true }).toBuffer()
    if (jpeg.length <= limit) return { data: jpeg, mime: 'image/jpeg' }
  }
  throw new Error(`card image stays over ${limit} bytes even as JPEG at quality 60`)
}
