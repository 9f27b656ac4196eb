import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DUPLICATE, type FakeMedia, type FakeTweet, handle } from './api.ts'
import { parseMultipart } from './multipart.ts'
import { type FakeCredentials, oauthProblem } from './oauth.ts'

export type { FakeMedia, FakeTweet } from './api.ts'

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
    const [status, out] = handle({ user, tweets, media, newId }, method, url.pathname, url.searchParams, body)
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
