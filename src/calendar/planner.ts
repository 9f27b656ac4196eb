import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import type { Plan } from './types.ts'

// @TODO (calendar issue) implement; keep this signature, the queue and preview import it.
/** Pure: the same inputs give the same plan. `previous` (the plan file) keeps locked/posted slots in place. */
export function planCampaign(_campaign: Campaign, _quotes: Quote[], _previous?: Plan): Plan {
  throw new Error('planCampaign: not implemented yet')
}
