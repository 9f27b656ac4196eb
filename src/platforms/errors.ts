// The error taxonomy every publisher speaks. The queue decides what to do from the *type* alone.

/** A passing fault (5xx, connection refused before sending): safe to try again. */
export class RetryableError extends Error {
  override name = 'RetryableError'
}

/** The platform said "not now": hold the whole queue until `until`, spend no attempt. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError'
  constructor(
    message: string,
    readonly until: Date,
    options?: { cause?: unknown },
  ) {
    super(message, options)
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
