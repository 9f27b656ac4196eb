import type { Quote } from '../quotes/schema.ts'
import { scriptOf } from './text.ts'

// @NOTE Who said it, as the card and its alt text show it. An anonymous speaker is shown by role only and their
// name never leaves the bank; a named victim is shown as the source shows them ("Nur, a Rohingya victim").

export interface Attribution {
  /** The speaker (or the organisation when the quote is the organisation's own). */
  primary: string
  /** Role and organisation, when not already in `primary`. */
  secondary?: string
}

const upperFirst = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1)
/** "a, b", with the Arabic comma after Arabic text, or the given comma (the quote's language's, in threads). */
export const join = (a: string, b: string, comma?: string) =>
  comma === undefined ? `${a}${scriptOf(a) === 'arabic' ? '،' : ','} ${b}` : `${a}${comma}${b}`

/** @NOTE `comma` lets threads and alt text join in the quote's language; the card keeps the script-based one. */
export function attribution(quote: Quote, comma?: string): Attribution {
  const org = quote.organisation.name
  const sp = quote.speaker
  if (!sp || (!sp.name && !sp.role)) return { primary: org }
  if (sp.anonymous || !sp.name)
    return { primary: upperFirst(sp.role ?? 'an anonymous speaker'), secondary: org }
  if (sp.victim && sp.role) return { primary: join(sp.name, sp.role, comma), secondary: org }
  return { primary: sp.name, secondary: sp.role ? join(sp.role, org, comma) : org }
}

/** The words the card shows as the quote: the excerpt when there is one, else the full text. */
export function cardText(quote: Quote): string {
  return quote.excerpt ?? quote.text
}
