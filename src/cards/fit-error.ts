// @NOTE Its own file so that code which only catches it (the posting worker's main thread, the card pool) does
// not load satori, resvg and sharp: the drawing happens in the pool's threads.

/** The quote cannot be drawn without clipping or empty boxes: a validation error, never a clipped card. */
export class CardFitError extends Error {
  override name = 'CardFitError'
}
