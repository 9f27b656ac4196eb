import { createHmac, timingSafeEqual } from 'node:crypto'

// OAuth 1.0a (RFC 5849 §3.4) checked the way X checks it, so a test fails if the client signs the wrong URL
// (e.g. api.x.com while talking to 127.0.0.1) or the wrong secrets.

export interface FakeCredentials {
  appKey: string
  appSecret: string
  accessToken: string
  accessSecret: string
}

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

function parseHeader(header: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of header.replace(/^OAuth\s+/i, '').matchAll(/([\w-]+)="([^"]*)"/g))
    if (m[1] !== undefined && m[2] !== undefined) out.set(m[1], decodeURIComponent(m[2]))
  return out
}

/** Why this request's signature is refused, or undefined when it is valid. */
export function oauthProblem(
  method: string,
  url: URL,
  authorization: string | undefined,
  creds: FakeCredentials,
): string | undefined {
  if (!authorization?.startsWith('OAuth ')) return 'no OAuth header'
  const p = parseHeader(authorization)
  if (p.get('oauth_consumer_key') !== creds.appKey) return 'unknown consumer key'
  if (p.get('oauth_token') !== creds.accessToken) return 'unknown access token'
  if (p.get('oauth_signature_method') !== 'HMAC-SHA1') return 'not HMAC-SHA1'
  const given = p.get('oauth_signature')
  if (!given) return 'no signature'
  const params: [string, string][] = []
  for (const [k, v] of p) if (k !== 'oauth_signature' && k !== 'realm') params.push([enc(k), enc(v)])
  for (const [k, v] of url.searchParams) params.push([enc(k), enc(v)])
  params.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
  const base = [
    method.toUpperCase(),
    enc(`${url.origin}${url.pathname}`),
    enc(params.map(([k, v]) => `${k}=${v}`).join('&')),
  ].join('&')
  const key = `${enc(creds.appSecret)}&${enc(creds.accessSecret)}`
  const expected = createHmac('sha1', key).update(base).digest()
  const got = Buffer.from(given, 'base64')
  return got.length === expected.length && timingSafeEqual(got, expected) ? undefined : 'bad signature'
}
