import net from 'node:net'
import type { AtpAgent } from '@atproto/api'
import sharp from 'sharp'
import type { PostContext, PostedRef } from '../../src/platforms/publisher.ts'
import type { CardImage, ComposedThread, ThreadPart } from '../../src/threads/types.ts'

/** A real PNG card (1200×675) with its alt text, as the card renderer would hand it over. */
export async function cardImage(title = 'Justice for victims'): Promise<CardImage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675">
    <rect width="1200" height="675" fill="#0b3d5c"/>
    <text x="80" y="340" font-size="72" fill="#ffffff" font-family="sans-serif">${title}</text>
    <text x="80" y="600" font-size="36" fill="#f2c14e" font-family="sans-serif">#NGOVoices #ASP21</text>
  </svg>`
  const data = new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer())
  return {
    data,
    mime: 'image/png',
    width: 1200,
    height: 675,
    alt: `Quote card: “${title}” — coalition statement at the ICC Assembly of States Parties, The Hague.`,
  }
}

/** A PNG of random noise: PNG cannot compress it, so it is as big as its pixels. */
export async function noisyPng(width: number, height: number): Promise<CardImage> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(Math.random() * 256)
  const data = new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  )
  return { data, mime: 'image/png', width, height, alt: 'Noise' }
}

export function threadOf(parts: Omit<ThreadPart, 'index'>[], threadId = `t-${Date.now()}`): ComposedThread {
  return {
    campaign: 'asp21',
    day: '2022-12-05',
    threadId,
    quoteId: 'q-test',
    platform: 'bluesky',
    parts: parts.map((p, index) => ({ ...p, index })),
  }
}

/** The context the queue hands to part `index`: its stored key, the first post as root, the one before as parent. */
export function contextFor(keys: readonly string[], refs: readonly PostedRef[], index: number): PostContext {
  const key = keys[index]
  if (key === undefined) throw new Error(`no key for part ${index}`)
  const root = refs[0]
  const parent = refs[index - 1]
  return { key, ...(index > 0 && root ? { root } : {}), ...(index > 0 && parent ? { parent } : {}) }
}

/** The bytes a facet covers, decoded: what a client underlines. */
export function facetText(text: string, index: { byteStart: number; byteEnd: number }): string {
  return Buffer.from(text, 'utf8').subarray(index.byteStart, index.byteEnd).toString('utf8')
}

/** Where `needle` sits in `text`, in UTF-8 bytes, computed without the library under test. */
export function byteRange(text: string, needle: string): { byteStart: number; byteEnd: number } {
  const at = text.indexOf(needle)
  if (at < 0) throw new Error(`"${needle}" is not in "${text}"`)
  const byteStart = Buffer.byteLength(text.slice(0, at), 'utf8')
  return { byteStart, byteEnd: byteStart + Buffer.byteLength(needle, 'utf8') }
}

export interface PostRecord {
  uri: string
  cid: string
  value: Record<string, unknown>
}

/** Every post of the account (listRecords: no AppView needed). */
export async function listPosts(reader: AtpAgent, did: string): Promise<PostRecord[]> {
  const out: PostRecord[] = []
  let cursor: string | undefined
  do {
    const res = await reader.com.atproto.repo.listRecords({
      repo: did,
      collection: 'app.bsky.feed.post',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    })
    for (const r of res.data.records) out.push({ uri: r.uri, cid: r.cid, value: r.value })
    cursor = res.data.cursor
  } while (cursor)
  return out
}

/**
 * A fetch that counts XRPC calls by method and, when `to` is set, sends requests for `from` (an origin)
 * there instead: the agent switches to the PDS address of the account's DID document after login, so a
 * proxy in between must be put back in place on every call.
 */
export function countingFetch(route?: { from: string; to: string }): {
  fetch: typeof globalThis.fetch
  calls: Map<string, number>
  count(nsid: string): number
  /** The response headers of the last call to `nsid`, as the client under test received them. */
  lastHeaders(nsid: string): Headers | undefined
} {
  const calls = new Map<string, number>()
  const headers = new Map<string, Headers>()
  const send = async (req: Request, url: URL): Promise<Response> => {
    if (!route || url.origin !== route.from) return globalThis.fetch(req)
    const target = new URL(url.pathname + url.search, route.to)
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer()
    return globalThis.fetch(target, {
      method: req.method,
      headers: req.headers,
      signal: req.signal,
      ...(body ? { body } : {}),
    })
  }
  const wrapped: typeof globalThis.fetch = async (input, init) => {
    const req = new Request(input, init)
    const url = new URL(req.url)
    const nsid = url.pathname.replace(/^\/xrpc\//, '')
    calls.set(nsid, (calls.get(nsid) ?? 0) + 1)
    const res = await send(req, url)
    headers.set(nsid, res.headers)
    return res
  }
  return {
    fetch: wrapped,
    calls,
    count: (nsid) => calls.get(nsid) ?? 0,
    lastHeaders: (nsid) => headers.get(nsid),
  }
}

export type ProxyMode = 'pass' | 'drop-request' | 'drop-response'

/**
 * A TCP proxy on 127.0.0.1 in front of the PDS that can cut a connection at the worst moment:
 * `drop-response` forwards the request, lets the server answer, and closes before the answer reaches
 * the client (the post exists, the client cannot know); `drop-request` closes once the request bytes
 * arrived, without forwarding them (the post does not exist, the client cannot know either).
 */
export class DropProxy {
  mode: ProxyMode = 'pass'
  /** Connections cut so far, so a test can prove the cut happened. */
  drops = 0
  private readonly server: net.Server
  private readonly sockets = new Set<net.Socket>()

  private constructor(private readonly upstreamPort: number) {
    this.server = net.createServer((client) => this.connect(client))
  }

  static async start(upstreamPort: number): Promise<DropProxy> {
    const proxy = new DropProxy(upstreamPort)
    await new Promise<void>((ok, fail) => {
      proxy.server.once('error', fail)
      proxy.server.listen(0, '127.0.0.1', ok)
    })
    return proxy
  }

  get url(): string {
    const address = this.server.address()
    if (address === null || typeof address === 'string') throw new Error('proxy is not listening')
    return `http://127.0.0.1:${address.port}`
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((ok) => this.server.close(() => ok()))
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.upstreamPort, '127.0.0.1')
    this.sockets.add(client).add(upstream)
    const cut = () => {
      this.drops++
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk) => {
      if (this.mode === 'drop-request') return cut()
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (this.mode === 'drop-response') return cut()
      client.write(chunk)
    })
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('end', () => b.end())
      a.on('error', () => b.destroy())
      a.on('close', () => {
        this.sockets.delete(a)
        b.destroy()
      })
    }
  }
}
