import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2'
import { AmbiguousError, isPublishError, PermanentError, RateLimitedError, RetryableError } from './errors.ts'

// X's failures in our taxonomy, decided from the status and the client's typed fields, never from message text.
// What a network failure means depends on the call: a read or an upload can simply be tried again, but a post
// whose answer was lost may have been published.

export type XOperation = 'read' | 'upload' | 'post'

const FALLBACK_WAIT_MS = 15 * 60_000

function detail(err: ApiResponseError): string {
  const data = err.data as { title?: unknown; detail?: unknown } | undefined
  const text = [data?.title, data?.detail].filter((s) => typeof s === 'string').join(': ')
  return text ? `${err.code} ${text}` : String(err.code)
}

/** When X will take requests again: the latest reset among the limits that are used up, epoch seconds. */
function resetAt(err: ApiResponseError): Date {
  const rl = err.rateLimit
  const spent = [rl, rl?.day, rl?.userDay].filter((l) => l !== undefined && l.remaining === 0 && l.reset > 0)
  const resets = (spent.length > 0 ? spent : rl && rl.reset > 0 ? [rl] : []).map(
    (l) => (l?.reset ?? 0) * 1000,
  )
  return new Date(resets.length > 0 ? Math.max(...resets) : Date.now() + FALLBACK_WAIT_MS)
}

export function toPublishError(err: unknown, op: XOperation, what: string): Error {
  if (isPublishError(err)) return err
  const opts = { cause: err }
  // Only the answer to the post request itself can prove that the post does not exist.
  const refused = { cause: err, notPosted: op === 'post' }
  if (err instanceof ApiResponseError) {
    if (err.rateLimitError) {
      const until = resetAt(err)
      return new RateLimitedError(`X: rate limited (${what}) until ${until.toISOString()}`, until, refused)
    }
    if (err.isAuthError)
      return new PermanentError(
        `X refused the credentials (${detail(err)}) when trying to ${what}: check X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET and the app's write permission`,
        opts,
      )
    if (err.code >= 500) return new RetryableError(`X: ${detail(err)} when trying to ${what}`, opts)
    return new PermanentError(`X refused to ${what}: ${detail(err)}`, opts)
  }
  if (err instanceof ApiPartialResponseError) {
    const msg = `X: the answer was cut off when trying to ${what}`
    return op === 'post'
      ? new AmbiguousError(`${msg}; the post may exist`, opts)
      : new RetryableError(msg, opts)
  }
  if (err instanceof ApiRequestError) {
    // @NOTE In 1.29.1 the `requestError` getter reads a field the client never sets, so the errno is out of reach.
    // Node's own ClientRequest says what matters: whether the request was handed over at all. Not handed over
    // (connection refused, no DNS): nothing can have been posted.
    if (err.request?.writableFinished === false)
      return new RetryableError(`X: could not connect to ${what}`, refused)
    const msg = `X: the connection failed or timed out when trying to ${what}`
    return op === 'post'
      ? new AmbiguousError(`${msg}, after the request was sent; the post may exist`, opts)
      : new RetryableError(msg, opts)
  }
  const msg = `X: unexpected failure when trying to ${what}: ${err instanceof Error ? err.message : String(err)}`
  return op === 'post' ? new AmbiguousError(msg, opts) : new RetryableError(msg, opts)
}
