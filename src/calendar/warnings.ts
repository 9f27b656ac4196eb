import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import type { Slot } from './types.ts'

// @NOTE X's free tier allows as few as 17 posts a day per app (DESIGN.md): a thread of n parts costs n.
// The number of parts is the composer's business; this estimate (one part per ~250 characters, plus the
// card/link part) is only here to warn before the week starts, not to decide anything.
const X_FREE_TIER_POSTS_A_DAY = 17

function estimatedParts(quote: Quote | undefined): number {
  if (!quote) return 1
  return Math.ceil(quote.text.length / 250) + 1
}

export function planWarnings(
  campaign: Campaign,
  slots: Slot[],
  quotes: Map<string, { quote: Quote }>,
): string[] {
  const warnings: string[] = []
  const perDay = new Map<string, number>()
  for (const s of slots) {
    if (s.status === 'cancelled' || !s.platforms.includes('x')) continue
    perDay.set(s.day, (perDay.get(s.day) ?? 0) + estimatedParts(quotes.get(s.quoteId)?.quote))
  }
  const busiest = [...perDay.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
  if (busiest && busiest[1] > X_FREE_TIER_POSTS_A_DAY) {
    warnings.push(
      `X: about ${busiest[1]} posts on ${busiest[0]} (threads × parts); the X free tier allows as few as ${X_FREE_TIER_POSTS_A_DAY} a day: check the account's tier or lower max_threads_per_day`,
    )
  } else if (campaign.platforms.x && campaign.max_threads_per_day * 3 > X_FREE_TIER_POSTS_A_DAY) {
    warnings.push(
      `X: max_threads_per_day ${campaign.max_threads_per_day} × up to 3 parts could pass the free tier's ${X_FREE_TIER_POSTS_A_DAY} posts a day if the bank grows`,
    )
  }
  return warnings
}
