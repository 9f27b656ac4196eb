import type { Quote } from '../quotes/schema.ts'
import { scriptOf } from './text.ts'

// @NOTE The words and punctuation a thread or an alt text adds around a quote ("on", "Quote card:", the comma
// between a speaker and their role) come from the quote's language, not from the software's: an Arabic thread
// that says "…للعدالة, on Palestine:" reads as broken to the people it is for. A language we have no words for
// gets the English ones, with the punctuation of its script.

export interface Wording {
  /** Joins a speaker, their role and their organisation ("a, b"; "a، b" in Arabic). */
  comma: string
  /** Ends the line that introduces a quote (French puts a narrow no-break space before it). */
  colon: string
  /** Who, then what it is about: "Nur, AJAR, on Bangladesh/Myanmar". */
  about: (who: string, situation: string) => string
  /** The alt text's first words ("Quote card"). */
  quoteCard: string
  /** The alt text's label of the situation ("Situation"). */
  situation: string
  /** The call to action used when the campaign gives none in this language. */
  callToAction: string
  open: string
  close: string
}

const english: Wording = {
  comma: ', ',
  colon: ':',
  about: (who, s) => `${who}, on ${s}`,
  quoteCard: 'Quote card',
  situation: 'Situation',
  callToAction: 'Read the Coalition’s recommendations',
  open: '“',
  close: '”',
}

export const BUILT_IN_WORDING: Readonly<Record<string, Wording>> = {
  en: english,
  fr: {
    comma: ', ',
    colon: '\u202f:',
    // "sur Palestine" lacks the article French needs before a place; "dossier Palestine" needs none.
    about: (who, s) => `${who}, dossier ${s}`,
    quoteCard: 'Carte citation',
    situation: 'Situation',
    callToAction: 'Lisez les recommandations de la Coalition',
    open: '«\u202f',
    close: '\u202f»',
  },
  es: {
    comma: ', ',
    colon: ':',
    about: (who, s) => `${who}, sobre ${s}`,
    quoteCard: 'Tarjeta con cita',
    situation: 'Situación',
    callToAction: 'Lea las recomendaciones de la Coalición',
    open: '«',
    close: '»',
  },
  ar: {
    comma: '، ',
    colon: ':',
    about: (who, s) => `${who}، بشأن ${s}`,
    quoteCard: 'بطاقة اقتباس',
    situation: 'الحالة',
    callToAction: 'اقرأوا توصيات التحالف',
    open: '«',
    close: '»',
  },
  de: { ...english, open: '„', close: '“' },
}

/** The primary subtag of a BCP 47 tag, lower-cased ("fr-CA" → "fr"). */
export function baseLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? ''
}

/** The words of the quote's language; for another language, English words with its script's punctuation. */
export function wordingOf(quote: Pick<Quote, 'language' | 'text'>): Wording {
  const own = BUILT_IN_WORDING[baseLanguage(quote.language)]
  if (own) return own
  if (scriptOf(quote.text) === 'arabic') {
    const ar = BUILT_IN_WORDING.ar ?? english
    return { ...english, comma: ar.comma, open: ar.open, close: ar.close }
  }
  return english
}
