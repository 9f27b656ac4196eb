import sharp from 'sharp'
import type { XSecrets } from '../../src/config.ts'
import type { PostContext, PostedRef } from '../../src/platforms/publisher.ts'
import { createXPublisher, type XPublisher } from '../../src/platforms/x.ts'
import { xTarget } from '../../src/platforms/x-client.ts'
import type { CardImage, ThreadPart } from '../../src/threads/types.ts'
import type { FakeX } from '../fake-x/server.ts'

/** The real twitter-api-v2 client, pointed at the fake X. */
/** The real twitter-api-v2 client, pointed at the fake X the way X_API_BASE_URL points production code. */
export function xPublisherFor(
  fake: FakeX,
  opts: { timeoutMs?: number; secrets?: Partial<XSecrets>; lookback?: number; lookbackPages?: number } = {},
): Promise<XPublisher> {
  const { secrets, ...rest } = opts
  return createXPublisher({ ...fake.credentials, ...secrets }, { ...xTarget(fake.url), ...rest })
}

export async function pngCard(alt: string): Promise<CardImage> {
  const data = await sharp({ create: { width: 160, height: 90, channels: 3, background: '#0b3d91' } })
    .png()
    .toBuffer()
  return { data: new Uint8Array(data), mime: 'image/png', width: 160, height: 90, alt }
}

export function ctxFor(key: string, refs: PostedRef[], index: number): PostContext {
  const root = refs[0]
  const parent = refs[index - 1]
  return { key, ...(index > 0 && root ? { root } : {}), ...(index > 0 && parent ? { parent } : {}) }
}

export function part(index: number, text: string, image?: CardImage): ThreadPart {
  return { index, text, ...(image ? { image } : {}) }
}
