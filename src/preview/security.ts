import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'

// @NOTE The page shows words typed by many people; the CSP is the second wall behind escaping: no inline
// script, no script from elsewhere, nothing can frame the page. Bull Board's own page needs inline styles,
// so /queues gets a looser style-src and nothing else.
const CSP_PAGE = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const CSP_QUEUES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ')

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    c.header('Content-Security-Policy', c.req.path.startsWith('/queues') ? CSP_QUEUES : CSP_PAGE)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Frame-Options', 'DENY')
    c.header('Cross-Origin-Opener-Policy', 'same-origin')
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Without a token the page answers only to loopback Host names, so a web page elsewhere cannot reach it
 * through DNS rebinding (a hostile name that resolves to 127.0.0.1).
 */
export function loopbackHostOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').replace(/:\d+$/, '').toLowerCase()
    if (!LOOPBACK.has(host)) return c.text('This preview answers on 127.0.0.1 only.', 421)
    await next()
  }
}

export const TOKEN_COOKIE = 'ngovoices_preview'

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest()
}

/** Constant-time comparison (hashing first makes the lengths equal). */
function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

/**
 * Accepts the token as `Authorization: Bearer …`, a cookie, or `?token=…` once (then sets the cookie and
 * redirects to the same URL without it, so the token does not stay in the address bar or history).
 */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]
    const query = c.req.query('token')
    const cookie = getCookie(c, TOKEN_COOKIE)
    if (query !== undefined && same(query, token)) {
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' })
      const url = new URL(c.req.url)
      url.searchParams.delete('token')
      return c.redirect(`${url.pathname}${url.search}`, 303)
    }
    if ((bearer !== undefined && same(bearer, token)) || (cookie !== undefined && same(cookie, token))) {
      await next()
      return
    }
    c.header('WWW-Authenticate', 'Bearer realm="ngovoices preview"')
    return c.text('This preview needs its access token: open the URL printed by `ngovoices preview`.', 401)
  }
}
