import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

// An HTTP proxy on 127.0.0.1 between a worker and a platform (the real PDS, or the fake X) that injects the
// faults a real network and a real platform give: 429s with reset headers, 5xx before and after the request
// reached the platform, connections cut before and after sending, and requests that never get an answer.
// Scripted per request (failNext) or at random from a seed (chaos). It records every request it saw.

export type ProxyFault =
  | { kind: 'rate-limit'; resetMs: number }
  /** Answers 5xx without passing the request on. */
  | { kind: 'server-error' }
  /** Passes the request on (it takes effect), then answers 503 instead of the platform's answer. */
  | { kind: 'server-error-after' }
  /** Closes the connection without passing the request on. */
  | { kind: 'drop' }
  /** Passes the request on, then closes the connection without answering. */
  | { kind: 'drop-after-commit' }
  /** Never passes the request on and never answers. */
  | { kind: 'hang' }
  /** Passes the request on, then never answers. */
  | { kind: 'hang-after-commit' }

export type FaultKind = ProxyFault['kind']

export interface ProxyMatch {
  method?: string
  /** The path must include this string, or match this pattern. */
  path?: string | RegExp
}

export interface ProxiedRequest {
  method: string
  path: string
  /** When the request arrived (epoch ms). */
  at: number
  fault?: FaultKind
  /** The platform's status, when the request reached it and answered. */
  status?: number
  /** A 429's reset instant (epoch ms, whole seconds as the headers give it). */
  resetAt?: number
}

export interface RandomFaults {
  /** Chance that a request gets a fault at all. */
  rate: number
  kinds: FaultKind[]
  /** Only requests that match are eligible. */
  match?: ProxyMatch
  /** A 429's reset, from now. */
  resetMs: number
  random: () => number
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT */
  url: string
  requests: ProxiedRequest[]
  failNext(fault: ProxyFault, match?: ProxyMatch): void
  /** Random faults from now on (undefined: none). */
  chaos(random: RandomFaults | undefined): void
  /** Resolves when a matching request has reached the platform and the platform has answered it. */
  committed(match: ProxyMatch): Promise<ProxiedRequest>
  close(): Promise<void>
}

function matches(m: ProxyMatch, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method) return false
  if (typeof m.path === 'string') return path.includes(m.path)
  if (m.path) return m.path.test(path)
  return true
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

const AFTER = new Set<FaultKind>(['server-error-after', 'drop-after-commit', 'hang-after-commit'])

function unavailable(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: 'InternalServerError', message: 'Service Unavailable', status: 503 }))
}

/** `target` is the platform's base URL (http://localhost:PORT). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const to = new URL(target)
  const requests: ProxiedRequest[] = []
  const scripted: { fault: ProxyFault; match: ProxyMatch }[] = []
  const waiting: { match: ProxyMatch; done: (r: ProxiedRequest) => void }[] = []
  let random: RandomFaults | undefined
  let self = ''
  const hanging = new Set<ServerResponse>()

  function pickFault(method: string, path: string): ProxyFault | undefined {
    const i = scripted.findIndex((s) => matches(s.match, method, path))
    const entry = scripted[i]
    if (entry) {
      scripted.splice(i, 1)
      return entry.fault
    }
    if (!random || !matches(random.match ?? {}, method, path) || random.random() >= random.rate)
      return undefined
    const kind = random.kinds[Math.floor(random.random() * random.kinds.length)] ?? 'server-error'
    return kind === 'rate-limit' ? { kind, resetMs: random.resetMs } : { kind }
  }

  /** The platform's answer, with its own address swapped for ours (a DID document names the PDS it lives on). */
  function forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((ok, fail) => {
      const out = request(
        {
          // The dev PDS listens on 127.0.0.1 only; 'localhost' may resolve to ::1 first.
          host: to.hostname === 'localhost' ? '127.0.0.1' : to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          // The Host header stays as the client sent it: the fake X checks OAuth signatures against it.
          headers: { ...req.headers, 'content-length': String(body.length) },
        },
        (res) => {
          readBody(res).then((raw) => {
            const headers: Record<string, string> = {}
            for (const [k, v] of Object.entries(res.headers))
              if (
                v !== undefined &&
                k !== 'content-length' &&
                k !== 'transfer-encoding' &&
                k !== 'connection'
              )
                headers[k] = Array.isArray(v) ? v.join(', ') : v
            const json = (res.headers['content-type'] ?? '').includes('json')
            const text = json
              ? raw
                  .toString('utf8')
                  .replaceAll(`http://localhost:${to.port}`, self)
                  .replaceAll(`http://127.0.0.1:${to.port}`, self)
              : undefined
            ok({ status: res.statusCode ?? 502, headers, body: text !== undefined ? Buffer.from(text) : raw })
          }, fail)
        },
      )
      out.on('error', fail)
      out.end(body)
    })
  }

  /** Answers (or does not) as the fault says; false when the fault is not one of these. */
  function misbehave(kind: FaultKind, req: IncomingMessage, res: ServerResponse): boolean {
    if (kind === 'server-error' || kind === 'server-error-after') unavailable(res)
    else if (kind === 'drop' || kind === 'drop-after-commit') req.socket.destroy()
    else if (kind === 'hang' || kind === 'hang-after-commit') hanging.add(res)
    else return false
    return true
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET'
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const body = await readBody(req)
    const fault = pickFault(method, path)
    const seen: ProxiedRequest = { method, path, at: Date.now(), ...(fault ? { fault: fault.kind } : {}) }
    requests.push(seen)
    if (fault?.kind === 'rate-limit') {
      const reset = Date.now() + fault.resetMs
      seen.resetAt = Math.ceil(reset / 1000) * 1000
      res.writeHead(429, {
        'content-type': 'application/json',
        'ratelimit-limit': '100',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(Math.ceil(reset / 1000)),
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(Math.ceil(reset / 1000)),
      })
      res.end(JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded', status: 429 }))
      return
    }
    // Faults that stop the request here; the "-after" ones let it reach the platform first.
    if (fault && !AFTER.has(fault.kind) && misbehave(fault.kind, req, res)) return
    const answer = await forward(req, body)
    seen.status = answer.status
    for (const w of waiting.splice(0))
      if (matches(w.match, method, path)) w.done(seen)
      else waiting.push(w)
    if (fault && AFTER.has(fault.kind) && misbehave(fault.kind, req, res)) return
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body)
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: self,
    requests,
    failNext(fault, match = {}) {
      scripted.push({ fault, match })
    },
    chaos(r) {
      random = r
    },
    committed(match) {
      return new Promise((done) => waiting.push({ match, done }))
    },
    close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      return new Promise((ok, fail) => server.close((err) => (err ? fail(err) : ok())))
    },
  }
}
