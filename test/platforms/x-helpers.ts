import { Agent } from 'node:http'
import sharp from 'sharp'
import type { XSecrets } from '../../src/config.ts'
import type { PostContext, PostedRef } from '../../src/platforms/publisher.ts'
import { createXPublisher, type XPublisher } from '../../src/platforms/x.ts'
import { redirectPlugin } from '../../src/platforms/x-client.ts'
import type { CardImage, ThreadPart } from '../../src/threads/types.ts'
import type { FakeX } from '../fake-x/server.ts'

/** The real twitter-api-v2 client, pointed at the fake X. */
export function xPublisherFor(
  fake: FakeX,
  opts: { timeoutMs?: number; secrets?: Partial<XSecrets> } = {},
): Promise<XPublisher> {
  return createXPublisher(
    { ...fake.credentials, ...opts.secrets },
    {
      plugins: [redirectPlugin(fake.url)],
      httpAgent: new Agent(),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    },
  )
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
