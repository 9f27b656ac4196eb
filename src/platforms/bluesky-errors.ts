import { XRPCError } from '@atproto/api'
import {
  AmbiguousError,
  isPublishError,
  PermanentError,
  type PublishError,
  type PublishErrorOptions,
  RateLimitedError,
  RetryableError,
} from './errors.ts'

// XRPC failures → the publisher taxonomy, decided by status, error name, header and socket error code,
// never by the wording of a message.

/**
 * What the failed call was doing: a `write` (createRecord) may have landed when no answer came back;
 * `login`, `read` and `upload` are safe to repeat (a blob is stored by its hash).
 */
export type Operation = 'login' | 'read' | 'upload' | 'write'

/** XRPCError.status values (@atproto/xrpc's ResponseType, which @atproto/api does not re-export). */
const ResponseType = {
  /** No response: the network failed. */
  Unknown: 1,
  /** A 2xx whose body did not match the lexicon. */
  InvalidResponse: 2,
  InvalidRequest: 400,
  AuthenticationRequired: 401,
  RateLimitExceeded: 429,
  UpstreamFailure: 502,
  UpstreamTimeout: 504,
} as const

/** Socket errors that happen before a request leaves this machine: the server never saw it. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** Session problems the agent mends by itself (refresh, or a new login on the next call). */
const SESSION_ERRORS = new Set(['ExpiredToken', 'InvalidToken'])

/** Without a reset header, hold off this long before asking again. */
const DEFAULT_RATE_LIMIT_MS = 60_000

export function isRecordNotFound(err: unknown): boolean {
  return err instanceof XRPCError && err.error === 'RecordNotFound'
}

/** resolveHandle's answer for a handle that belongs to no one (InvalidRequest / HandleNotFound). */
export function isUnresolvableHandle(err: unknown): boolean {
  return err instanceof XRPCError && err.status === ResponseType.InvalidRequest
}

/** The server answered with an error of its own (5xx): the write did not finish, or finished and then failed. */
export function isServerError(err: unknown): boolean {
  return err instanceof XRPCError && err.status >= 500
}

export function toPublishError(err: unknown, op: Operation, what: string, now = Date.now()): PublishError {
  // Our own verdict from inside the agent's fetch (the request gate), wrapped by the XRPC client.
  const ours = ownCause(err)
  if (ours) return ours
  if (!(err instanceof XRPCError)) {
    // @NOTE Not an XRPC failure: our own code threw. A write in flight may still have landed.
    return mayHavePosted(
      op,
      `Bluesky ${what}: failed mid-request, it may have been posted`,
      `Bluesky ${what}: ${err instanceof Error ? err.name : 'unknown failure'}`,
      err,
    )
  }
  if (err.status === ResponseType.Unknown) return fromNetwork(err, op, what)
  return fromAnswer(err, op, what, now)
}

/** A write may have landed (ambiguous); any other call is safe to repeat. */
function mayHavePosted(op: Operation, ifWrite: string, otherwise: string, cause: unknown): PublishError {
  const options = { cause }
  return op === 'write' ? new AmbiguousError(ifWrite, options) : new RetryableError(otherwise, options)
}

/** The server refused before doing anything. Only the answer to the write itself proves there is no post. */
function refusal(err: XRPCError, op: Operation): PublishErrorOptions {
  return { cause: err, notPosted: op === 'write' }
}

/** No answer came back: sent or not, the socket error code tells. */
function fromNetwork(err: XRPCError, op: Operation, what: string): PublishError {
  const code = socketErrorCode(err)
  if (code !== undefined && NOT_SENT.has(code))
    return new RetryableError(`Bluesky ${what}: could not reach the server (${code})`, refusal(err, op))
  return mayHavePosted(
    op,
    `Bluesky ${what}: the connection failed after the request was sent (${code ?? errorName(err.cause)}); it may have been posted`,
    `Bluesky ${what}: network failure (${code ?? errorName(err.cause)})`,
    err,
  )
}

/** The server (or a gateway before it) answered with an error. */
function fromAnswer(err: XRPCError, op: Operation, what: string, now: number): PublishError {
  const options = { cause: err }
  const said = `${err.status} ${err.error}${err.message && err.message !== err.error ? `: ${err.message}` : ''}`
  if (err.status === ResponseType.InvalidResponse) {
    // The server said 200 but the body did not parse: a write did happen.
    return mayHavePosted(
      op,
      `Bluesky ${what}: unreadable success response; it was probably posted`,
      `Bluesky ${what}: unreadable response`,
      err,
    )
  }
  if (err.status === ResponseType.RateLimitExceeded || err.error === 'RateLimitExceeded') {
    const until = rateLimitReset(err.headers, now)
    return new RateLimitedError(
      `Bluesky ${what}: rate limited until ${until.toISOString()}`,
      until,
      refusal(err, op),
    )
  }
  if (
    op === 'login' &&
    (err.status === ResponseType.AuthenticationRequired || err.status === ResponseType.InvalidRequest)
  ) {
    return new PermanentError(
      `Bluesky refused the login (${said}): check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD; use an app password (Settings → Privacy and security → App passwords)`,
      options,
    )
  }
  if (
    SESSION_ERRORS.has(err.error) ||
    (err.status === ResponseType.AuthenticationRequired && err.error !== 'AccountTakedown')
  )
    return new RetryableError(
      `Bluesky ${what}: session no longer valid (${said}); it is renewed on the next try`,
      options,
    )
  if (err.status === ResponseType.UpstreamFailure || err.status === ResponseType.UpstreamTimeout) {
    // A gateway gave up waiting; the PDS behind it may have written the record.
    return mayHavePosted(
      op,
      `Bluesky ${what}: ${said}; it may have been posted`,
      `Bluesky ${what}: ${said}`,
      err,
    )
  }
  if (err.status >= 500) return new RetryableError(`Bluesky ${what}: ${said}`, options)
  // 400 InvalidRequest / InvalidRecord / BlobTooLarge, 403, 404 (method not supported), 413, 415: same answer next time.
  return new PermanentError(`Bluesky ${what}: ${said}`, options)
}

/** `ratelimit-reset` is epoch seconds; `retry-after` (seconds from now) is the fallback. */
export function rateLimitReset(
  headers: Record<string, string | undefined> | undefined,
  now = Date.now(),
): Date {
  const reset = Number(headers?.['ratelimit-reset'])
  if (Number.isFinite(reset) && reset > 0) return new Date(Math.max(reset * 1000, now))
  const retryAfter = Number(headers?.['retry-after'])
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return new Date(now + retryAfter * 1000)
  return new Date(now + DEFAULT_RATE_LIMIT_MS)
}

function ownCause(err: unknown): PublishError | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 6; depth++) {
    if (isPublishError(current)) return current
    if (!(current instanceof Error)) return undefined
    current = current.cause
  }
  return undefined
}

/** The socket error code (ECONNREFUSED, UND_ERR_SOCKET, …) somewhere down the `cause` chain. */
function socketErrorCode(err: unknown): string | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code
    if (typeof code === 'string') return code
    current = current.cause
  }
  return undefined
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'unknown'
}
