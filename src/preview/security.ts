import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { safeRedirectPath } from './redirect.ts'

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

const TOKEN_COOKIE = 'ngovoices_preview'

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
      return c.redirect(safeRedirectPath(`${url.pathname}${url.search}`), 303)
    }
    if ((bearer !== undefined && same(bearer, token)) || (cookie !== undefined && same(cookie, token))) {
      await next()
      return
    }
    c.header('WWW-Authenticate', 'Bearer realm="ngovoices preview"')
    return c.text('This preview needs its access token: open the URL printed by `ngovoices preview`.', 401)
  }
}

/** The anti-forgery token the page embeds: random per server start, never the access token. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Where the page's script sends the token; Bull Board's axios sends the XSRF-TOKEN cookie back in its own. */
const CSRF_HEADER = 'x-csrf-token'
const BOARD_CSRF_COOKIE = 'XSRF-TOKEN'
const BOARD_CSRF_HEADER = 'x-xsrf-token'

const READS = new Set(['GET', 'HEAD'])

function refusal(reason: string): string {
  return `Refused: ${reason}. Changes are accepted only from the preview page itself.`
}

/**
 * Every request that could change anything (any method but GET/HEAD, on any route, present or future) must
 * come from the page itself: its Origin is this server's own (or, without an Origin, the browser says
 * `Sec-Fetch-Site: same-origin`), and it carries the page's anti-forgery token.
 * @NOTE hono's csrf() lets a JSON body through on the grounds that a browser preflights it; a `no-cors` fetch or
 * a text/plain form needs no preflight, and Bull Board parses any body as JSON, so the Origin is checked
 * whatever the body, and the token besides. Host is already pinned (loopback names, or the access token).
 */
export function sameOriginWrites(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (READS.has(c.req.method)) {
      await next()
      return
    }
    const origin = c.req.header('origin')
    const own = `${new URL(c.req.url).protocol}//${c.req.header('host') ?? ''}`
    if (origin !== undefined) {
      if (origin.toLowerCase() !== own.toLowerCase()) return c.text(refusal(`request from ${origin}`), 403)
    } else if (c.req.header('sec-fetch-site') !== 'same-origin') {
      return c.text(refusal('request without an Origin'), 403)
    }
    const sent = c.req.header(CSRF_HEADER) ?? c.req.header(BOARD_CSRF_HEADER)
    if (sent === undefined || !same(sent, token)) return c.text(refusal('no valid anti-forgery token'), 403)
    await next()
  }
}

/**
 * Bull Board's page cannot be given a header, but its HTTP client (axios) echoes the XSRF-TOKEN cookie as
 * X-XSRF-TOKEN on same-origin requests. Set only when the dashboard may act; the Origin check still holds,
 * since a page on another port of this host could read a cookie (cookies ignore ports).
 */
export function boardCsrfCookie(token: string): MiddlewareHandler {
  return async (c, next) => {
    await next()
    setCookie(c, BOARD_CSRF_COOKIE, token, { sameSite: 'Strict', path: '/queues' })
  }
}
