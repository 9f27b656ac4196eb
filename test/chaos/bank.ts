import type { QuoteInput } from '../../src/quotes/schema.ts'
import { editQuotes } from '../queues/helpers.ts'
import { between, pick } from './random.ts'

// Quotes for a chaos run: as many as asked, each with words and an organisation of its own, so that no two posts
// of the run share a text (X refuses a repeated text, and its lookup finds a post by its text).

const WORDS = [
  'justice',
  'court',
  'victims',
  'witnesses',
  'evidence',
  'accountability',
  'states',
  'parties',
  'cooperation',
  'investigation',
  'reparations',
  'survivors',
  'communities',
  'independence',
  'budget',
  'arrest',
  'warrants',
  'impunity',
  'truth',
  'memory',
  'dignity',
  'hearings',
  'outreach',
  'protection',
  'families',
  'crimes',
  'war',
  'humanity',
  'genocide',
  'aggression',
  'prosecutor',
  'judges',
  'registry',
  'mandate',
  'support',
  'resources',
  'delegates',
  'session',
  'assembly',
  'statement',
  'coalition',
  'members',
  'voices',
  'rights',
  'law',
  'peace',
] as const

function sentence(random: () => number): string {
  const words = Array.from({ length: between(random, 8, 12) }, () => pick(random, WORDS) ?? 'justice')
  const first = words[0] ?? 'justice'
  return `${first.charAt(0).toUpperCase()}${first.slice(1)} ${words.slice(1).join(' ')}.`
}

/** Replaces the bank's quotes with `count` granted quotes (chaos-01, …) modelled on the first one. */
export async function writeChaosBank(dir: string, count: number, random: () => number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `chaos-${String(i + 1).padStart(2, '0')}`)
  await editQuotes(dir, (quotes) => {
    const model = quotes.find((q) => !q.speaker) ?? quotes[0]
    if (!model) throw new Error(`no quote in ${dir} to model the chaos bank on`)
    return ids.map(
      (id, i): QuoteInput => ({
        ...model,
        id,
        text: `Voice ${i + 1}: ${Array.from({ length: between(random, 2, 3) }, () => sentence(random)).join(' ')}`,
        // One organisation each: a thread's last part names it, and X refuses a text it has seen before.
        organisation: { name: `Member organisation ${i + 1}`, short: `MO${i + 1}` },
        consent: { status: 'granted', note: 'chaos run' },
        priority: 3,
      }),
    )
  })
  return ids
}
