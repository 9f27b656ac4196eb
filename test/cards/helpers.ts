import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Campaign } from '../../src/campaign/schema.ts'
import { loadCampaign } from '../../src/quotes/load.ts'
import { type Quote, type QuoteInput, quoteSchema } from '../../src/quotes/schema.ts'

export const campaign: Campaign = await loadCampaign('fixtures/asp21')

export function makeQuote(over: Partial<QuoteInput> = {}): Quote {
  return quoteSchema.parse({
    id: 'test-quote',
    text: 'Justice delayed is justice denied.',
    language: 'en',
    organisation: { name: 'Asia Justice and Rights', short: 'AJAR' },
    situation: 'Bangladesh/Myanmar',
    source: { title: 'Test statement' },
    consent: { status: 'granted' },
    ...over,
  })
}

export async function tmpDir(): Promise<string> {
  const { mkdir } = await import('node:fs/promises')
  await mkdir('test/.tmp', { recursive: true })
  return mkdtemp(join('test/.tmp', 'cards-'))
}

export interface Pixels {
  data: Buffer
  width: number
  height: number
  channels: number
}

/** Decodes an image (PNG/JPEG bytes or an SVG string) to raw RGB pixels. */
export async function pixels(img: Uint8Array | string): Promise<Pixels> {
  const input = typeof img === 'string' ? Buffer.from(img) : Buffer.from(img)
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height, channels: info.channels }
}

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

/** Pixels that differ (by more than antialiasing noise) between two same-sized images. */
export function diff(a: Pixels, b: Pixels): { x: number; y: number }[] {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images differ in size')
  const out: { x: number; y: number }[] = []
  for (let i = 0; i < a.width * a.height; i++) {
    let d = 0
    for (let c = 0; c < a.channels; c++)
      d += Math.abs((a.data[i * a.channels + c] ?? 0) - (b.data[i * b.channels + c] ?? 0))
    if (d > 24) out.push({ x: i % a.width, y: Math.floor(i / a.width) })
  }
  return out
}

export const inside = (p: { x: number; y: number }, r: Rect) =>
  p.x >= r.left && p.x < r.left + r.width && p.y >= r.top && p.y < r.top + r.height
