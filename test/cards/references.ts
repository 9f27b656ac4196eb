import { join } from 'node:path'
import type { Campaign } from '../../src/campaign/schema.ts'
import { CARD_FORMATS, type CardFormat } from '../../src/cards/index.ts'
import { loadBank } from '../../src/quotes/load.ts'
import type { Quote } from '../../src/quotes/schema.ts'

// @NOTE The cards whose pixels are pinned by committed reference renderings: every card of the sample bank and of
// fixtures/scripts (Arabic, Burmese, French, emoji), in every format.

export const REFERENCE_BANKS = ['fixtures/asp21', 'fixtures/scripts'] as const
export const REFERENCE_DIR = 'test/cards/reference'

export interface ReferenceCard {
  quote: Quote
  campaign: Campaign
  format: CardFormat
  /** The committed rendering this card must match. */
  file: string
}

export async function referenceCards(): Promise<ReferenceCard[]> {
  const out: ReferenceCard[] = []
  for (const dir of REFERENCE_BANKS) {
    const bank = await loadBank(dir)
    if (bank.problems.some((p) => p.severity === 'error'))
      throw new Error(`${dir} does not validate: run ngovoices validate ${dir}`)
    const name = dir.split('/').at(-1) ?? dir
    for (const quote of bank.quotes)
      for (const format of Object.keys(CARD_FORMATS) as CardFormat[])
        out.push({
          quote,
          campaign: bank.campaign,
          format,
          file: join(REFERENCE_DIR, name, `${quote.id}.${format}.png`),
        })
  }
  return out
}
