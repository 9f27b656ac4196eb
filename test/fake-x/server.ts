import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type FilePart, parseMultipart } from './multipart.ts'
import { type FakeCredentials, oauthProblem } from './oauth.ts'

// A small X API v2 on 127.0.0.1 that the real twitter-api-v2 client talks to: the v2 chunked media upload
// (initialize / append / finalize) as 1.29.1 sends it, media metadata (alt text), POST /2/tweets, GET /2/users/me
// and /2/users/:id/tweets (text as X gives it back: t.co links, &amp;, the media link at the end), OAuth 1.0a
// signatures checked, X's own duplicate-content refusal, and faults scripted per request.

export type Fault =
  | { kind: 'rate-limit'; reset: number; limit?: number; remaining?: number }
  | { kind: 'duplicate' }
  | { kind: 'server-error'; status?: number }
  | { kind: 'auth' }
  /** Do the work, then answer after `ms`. */
  | { kind: 'slow'; ms: number }
  /** Read the request, then close the connection without doing anything. */
  | { kind: 'drop' }
  /** Do the work (the post exists), then close the connection without answering. */
  | { kind: 'drop-after-commit' }

export interface Match {
  method?: string
  /** The path must include this string, or match this pattern. */
  path?: string | RegExp
  /** Let this many matching requests through first (e.g. 1: fail the second post of a thread). */
  skip?: number
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  /** Parsed JSON, or a multipart form's fields (files as {size, type}). */
  body: unknown
  /** Undefined when the OAuth signature was valid. */
  authProblem?: string
}

export interface FakeTweet {
  id: string
  text: string
  authorId: string
  inReplyTo?: string
  mediaIds: string[]
  createdAt: string
}

export interface FakeMedia {
  id: string
  mediaType: string
  totalBytes: number
  received: number
  segments: number[]
  bytes: Buffer[]
  finalized: boolean
  alt?: string
}

export interface FakeX {
  /** http://127.0.0.1:PORT/ */
  url: string
  credentials: FakeCredentials
  user: { id: string; username: string; name: string }
  requests: RecordedRequest[]
  tweets: FakeTweet[]
  media: Map<string, FakeMedia>
  failNext(fault: Fault, match?: Match): void
  close(): Promise<void>
}

export const FAKE_CREDENTIALS: FakeCredentials = {
  appKey: 'fake-app-key',
  appSecret: 'fake-app-secret',
  accessToken: '1200-fake-access-token',
  accessSecret: 'fake-access-secret',
}

const DUPLICATE = {
  detail: 'You are not allowed to create a Tweet with duplicate content.',
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function parseBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = req.headers['content-type'] ?? ''
  if (raw.length === 0) return undefined
  if (type.startsWith('application/json')) return JSON.parse(raw.toString('utf8'))
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type)
  return raw.toString('utf8')
}

const URL_RE = /https?:\/\/[^\s]+/g

/** The text as X returns it: links wrapped in t.co, &, < and > escaped, the media link appended. */
function displayed(t: FakeTweet): { text: string; urls: object[] } {
  const urls: object[] = []
  let n = 0
  const tco = () => `https://t.co/${t.id.slice(-6)}${String(n++).padStart(4, '0')}`
  let text = t.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  text = text.replace(URL_RE, (u) => {
    const url = tco()
    urls.push({
      url,
      expanded_url: u.replace(/&amp;/g, '&'),
      display_url: u.replace(/^https?:\/\//, '').slice(0, 25),
    })
    return url
  })
  for (const m of t.mediaIds) {
    const url = tco()
    text += ` ${url}`
    urls.push({ url, expanded_url: `https://x.com/i/status/${t.id}/photo/1`, media_key: `3_${m}` })
  }
  return { text, urls }
}

export async function startFakeX(opts: { credentials?: FakeCredentials } = {}): Promise<FakeX> {
  const credentials = opts.credentials ?? FAKE_CREDENTIALS
  const user = { id: '1200', username: 'ngovoices_demo', name: 'NGO Voices (demo)' }
  const requests: RecordedRequest[] = []
  const tweets: FakeTweet[] = []
  const media = new Map<string, FakeMedia>()
  const faults: { fault: Fault; match: Match }[] = []
  let nextId = 1_600_000_000_000_000_000n
  const newId = () => String(nextId++)

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex(({ match }) => {
      if (match.method && match.method.toUpperCase() !== method) return false
      if (typeof match.path === 'string') return path.includes(match.path)
      if (match.path) return match.path.test(path)
      return true
    })
    const entry = faults[i]
    if (!entry) return undefined
    if (entry.match.skip) {
      entry.match = { ...entry.match, skip: entry.match.skip - 1 }
      return undefined
    }
    faults.splice(i, 1)
    return entry.fault
  }

  /** The API itself: returns [status, body] after doing the work. */
  function handle(method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] {
    const b = (body ?? {}) as Record<string, unknown>
    const upload = method === 'POST' ? /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path) : null
    const timeline = method === 'GET' ? /^\/2\/users\/(\d+)\/tweets$/.exec(path) : null
    if (method === 'GET' && path === '/2/users/me') return [200, { data: user }]
    if (method === 'POST' && path === '/2/media/upload/initialize') {
      const id = newId()
      media.set(id, {
        id,
        mediaType: String(b.media_type),
        totalBytes: Number(b.total_bytes),
        received: 0,
        segments: [],
        bytes: [],
        finalized: false,
      })
      return [200, { data: { id, media_key: `3_${id}`, expires_after_secs: 86400 } }]
    }
    if (upload) {
      const item = media.get(upload[1] ?? '')
      if (!item) return [400, { title: 'Invalid Request', detail: 'unknown media id', status: 400 }]
      if (upload[2] === 'append') {
        const file = b.media as FilePart | undefined
        item.received += file?.size ?? 0
        if (file) item.bytes.push(file.bytes)
        item.segments.push(Number(b.segment_index))
        return [200, {}]
      }
      if (item.received !== item.totalBytes)
        return [
          400,
          {
            title: 'Invalid Request',
            detail: `got ${item.received} of ${item.totalBytes} bytes`,
            status: 400,
          },
        ]
      item.finalized = true
      return [
        200,
        {
          data: { id: item.id, media_key: `3_${item.id}`, size: item.totalBytes, expires_after_secs: 86400 },
        },
      ]
    }
    if (method === 'POST' && path === '/2/media/metadata') {
      const item = media.get(String(b.id))
      const alt = (b.metadata as { alt_text?: { text?: string } } | undefined)?.alt_text?.text
      if (!item?.finalized || !alt)
        return [400, { title: 'Invalid Request', detail: 'bad metadata', status: 400 }]
      item.alt = alt
      return [200, { data: { id: item.id, associated_metadata: { alt_text: { text: alt } } } }]
    }
    if (method === 'POST' && path === '/2/tweets') {
      const text = String(b.text ?? '')
      const ids = ((b.media as { media_ids?: string[] } | undefined)?.media_ids ?? []).map(String)
      const parent = (b.reply as { in_reply_to_tweet_id?: string } | undefined)?.in_reply_to_tweet_id
      if (ids.some((id) => !media.get(id)?.finalized))
        return [400, { title: 'Invalid Request', detail: 'media not uploaded', status: 400 }]
      if (parent && !tweets.some((t) => t.id === parent))
        return [
          403,
          { title: 'Forbidden', detail: 'the post you are replying to does not exist', status: 403 },
        ]
      if (tweets.some((t) => t.authorId === user.id && t.text === text)) return [403, DUPLICATE]
      const t: FakeTweet = {
        id: newId(),
        text,
        authorId: user.id,
        mediaIds: ids,
        createdAt: new Date().toISOString(),
        ...(parent ? { inReplyTo: parent } : {}),
      }
      tweets.push(t)
      return [201, { data: { id: t.id, text, edit_history_tweet_ids: [t.id] } }]
    }
    if (timeline) {
      const max = Number(query.get('max_results') ?? 10)
      if (!(max >= 5 && max <= 100))
        return [400, { title: 'Invalid Request', detail: 'max_results', status: 400 }]
      const fields = (query.get('tweet.fields') ?? '').split(',')
      const own = tweets
        .filter((t) => t.authorId === timeline[1])
        .reverse()
        .slice(0, max)
      const data = own.map((t) => {
        const shown = displayed(t)
        return {
          id: t.id,
          text: shown.text,
          edit_history_tweet_ids: [t.id],
          ...(fields.includes('created_at') ? { created_at: t.createdAt } : {}),
          ...(fields.includes('entities') && shown.urls.length ? { entities: { urls: shown.urls } } : {}),
          ...(fields.includes('referenced_tweets') && t.inReplyTo
            ? { referenced_tweets: [{ type: 'replied_to', id: t.inReplyTo }] }
            : {}),
        }
      })
      return [200, own.length ? { data, meta: { result_count: own.length } } : { meta: { result_count: 0 } }]
    }
    return [404, { title: 'Not Found Error', detail: `no route ${method} ${path}`, status: 404 }]
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    const raw = await readBody(req)
    const body = parseBody(req, raw)
    const authProblem = oauthProblem(method, url, req.headers.authorization, credentials)
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      ...(authProblem ? { authProblem } : {}),
    })
    if (authProblem)
      return send(res, 401, {
        title: 'Unauthorized',
        type: 'about:blank',
        status: 401,
        detail: 'Unauthorized',
      })
    const fault = takeFault(method, url.pathname)
    const limits = {
      'x-rate-limit-limit': '200',
      'x-rate-limit-remaining': '199',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900),
    }
    switch (fault?.kind) {
      case 'rate-limit':
        return send(
          res,
          429,
          { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
          {
            'x-rate-limit-limit': String(fault.limit ?? 200),
            'x-rate-limit-remaining': String(fault.remaining ?? 0),
            'x-rate-limit-reset': String(fault.reset),
          },
        )
      case 'duplicate':
        return send(res, 403, DUPLICATE, limits)
      case 'server-error':
        return send(res, fault.status ?? 503, {
          title: 'Service Unavailable',
          detail: 'Service Unavailable',
          status: fault.status ?? 503,
        })
      case 'auth':
        return send(res, 401, {
          title: 'Unauthorized',
          type: 'about:blank',
          status: 401,
          detail: 'Unauthorized',
        })
      case 'drop':
        req.socket.destroy()
        return
    }
    const [status, out] = handle(method, url.pathname, url.searchParams, body)
    if (fault?.kind === 'drop-after-commit') {
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms))
    if (!res.destroyed) send(res, status, out, limits)
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { title: 'Fake X bug', detail: String(err), status: 500 })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    credentials,
    user,
    requests,
    tweets,
    media,
    failNext(fault, match = {}) {
      faults.push({ fault, match })
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))
    },
  }
}
