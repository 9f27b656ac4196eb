// The error taxonomy every publisher speaks. The queue decides what to do from the *type* alone, and from
// `notPosted`: whether the platform's own answer to the post request proves that nothing was posted.

export interface PublishErrorOptions {
  cause?: unknown
  /**
   * Set only from the answer to a post request itself (a 429, or a connection refused before anything was sent):
   * nothing was posted. An error from a session call, a lookup or an upload proves nothing about an earlier try.
   */
  notPosted?: boolean
}

function errorOptions(options: PublishErrorOptions): ErrorOptions | undefined {
  return 'cause' in options ? { cause: options.cause } : undefined
}

/** A passing fault (5xx, connection refused before sending): safe to try again. */
export class RetryableError extends Error {
  override name = 'RetryableError'
  readonly notPosted: boolean
  constructor(message: string, options: PublishErrorOptions = {}) {
    super(message, errorOptions(options))
    this.notPosted = options.notPosted ?? false
  }
}

/** The platform said "not now": hold the whole queue until `until`, spend no attempt. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError'
  readonly notPosted: boolean
  constructor(
    message: string,
    readonly until: Date,
    options: PublishErrorOptions = {},
  ) {
    super(message, errorOptions(options))
    this.notPosted = options.notPosted ?? false
  }
}

/** Will fail the same way every time (auth, validation, duplicate content): do not retry. */
export class PermanentError extends Error {
  override name = 'PermanentError'
}

/** The request may or may not have been posted (timeout / connection dropped after sending). A human decides. */
export class AmbiguousError extends Error {
  override name = 'AmbiguousError'
}

/** Any of the four kinds above: a platform's answer already sorted, as opposed to a bug or a raw SDK error. */
export type PublishError = RetryableError | RateLimitedError | PermanentError | AmbiguousError

export function isPublishError(err: unknown): err is PublishError {
  return (
    err instanceof RetryableError ||
    err instanceof RateLimitedError ||
    err instanceof PermanentError ||
    err instanceof AmbiguousError
  )
}

/** The platform's answer proves the part was not posted: the in-flight mark may go. */
export function provesNotPosted(err: unknown): boolean {
  return (err instanceof RetryableError || err instanceof RateLimitedError) && err.notPosted
}
