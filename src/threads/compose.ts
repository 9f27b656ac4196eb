import type { Campaign } from '../campaign/schema.ts'
import type { Platform, Quote } from '../quotes/schema.ts'
import type { CardImage, ComposedThread } from './types.ts'

// @TODO (publishers issue) implement; keep this signature, the queue and preview import it.
export interface ComposeInput {
  quote: Quote
  campaign: Campaign
  platform: Platform
  /** Session day (YYYY-MM-DD) of the slot. */
  day: string
  threadId: string
  /** The landscape card with its alt text; attached to the first post. */
  card: CardImage
}

export function composeThread(_input: ComposeInput): ComposedThread {
  throw new Error('composeThread: not implemented yet')
}
