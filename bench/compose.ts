import { campaignPlatforms } from '../src/campaign/schema.ts'
import { loadBank } from '../src/quotes/load.ts'
import { composeThread } from '../src/threads/compose.ts'
import type { CardImage } from '../src/threads/types.ts'
import type { GeneratedBank } from './bank.ts'
import { growth } from './growth.ts'
import { count, median, ms, peakRssMb } from './measure.ts'
import type { Section } from './report.ts'

// Composing is pure and runs again on every retry of a publish job, so its cost per thread is what counts.

/** A stand-in card: the card has its own section, and composing only carries the image along. */
const CARD: CardImage = {
  data: new Uint8Array([137, 80, 78, 71]),
  mime: 'image/png',
  width: 1600,
  height: 900,
  alt: 'A card',
}

async function composeAll(bank: GeneratedBank): Promise<{ times: number[]; threads: number; posts: number }> {
  const { campaign, quotes } = await loadBank(bank.dir)
  const day = campaign.days[0]?.date ?? '2022-12-05'
  const times: number[] = []
  let posts = 0
  for (const quote of quotes) {
    for (const platform of campaignPlatforms(campaign)) {
      const t0 = performance.now()
      const thread = composeThread({
        quote,
        campaign,
        platform,
        day,
        threadId: `${campaign.id}-${quote.id}`,
        card: CARD,
      })
      times.push(performance.now() - t0)
      posts += thread.parts.length
    }
  }
  return { times, threads: times.length, posts }
}

export async function composeSection(banks: GeneratedBank[]): Promise<Section> {
  const smallest = banks[0]
  // Warm-up, not counted: the first threads of a process pay for the JIT and for loading twitter-text.
  if (smallest) await composeAll(smallest)
  const rows: string[][] = []
  const totals: number[] = []
  for (const b of banks) {
    const { times, threads, posts } = await composeAll(b)
    const total = times.reduce((a, t) => a + t, 0)
    totals.push(total)
    rows.push([count(b.n), count(threads), count(posts), median(times).toFixed(3), ms(total), peakRssMb()])
  }
  return {
    title: 'Compose threads',
    intro:
      '`composeThread` for every quote of the generated bank on each platform (x, bluesky), with a stand-in ' +
      'card. One pass after a warm-up pass over the smallest bank; the bank is loaded before the clock starts.',
    header: ['quotes', 'threads', 'posts', 'median per thread (ms)', 'total (ms)', 'peak RSS (MB)'],
    rows,
    notes: [
      growth(
        'Compose, total',
        banks.map((b) => b.n),
        totals,
        'quotes',
      ),
    ],
    peakRssMb: peakRssMb(),
  }
}
