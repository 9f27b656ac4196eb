import type { Campaign } from '../campaign/schema.ts'
import { BUILT_IN_WORDING, baseLanguage, wordingOf } from '../cards/wording.ts'
import type { Quote } from '../quotes/schema.ts'

/**
 * The call to action that closes a quote's thread, in the quote's language: the campaign's own for that language
 * (`call_to_action: { fr: … }`, or a plain text when the quote is in the campaign's language), else the built-in
 * one of the quote's language, else the campaign's text whatever its language.
 */
export function callToAction(campaign: Campaign, quote: Pick<Quote, 'language' | 'text'>): string {
  const lang = baseLanguage(quote.language)
  const cta = campaign.call_to_action
  if (typeof cta === 'object') {
    const own = cta[quote.language] ?? cta[lang]
    if (own) return own
  } else if (cta !== undefined && baseLanguage(campaign.language) === lang) return cta
  const builtIn = BUILT_IN_WORDING[lang]
  if (builtIn) return builtIn.callToAction
  if (typeof cta === 'string') return cta
  return cta?.[campaign.language] ?? wordingOf(quote).callToAction
}
