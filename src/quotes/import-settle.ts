import { type Heading, type Organisation, type Speaker, splitRole } from './import-attribution.ts'
import type { Passage } from './import-scan.ts'
import { draftExcerpt, situationOf } from './import-text.ts'
import { MAX_CARD_CHARS } from './limits.ts'

// @NOTE For one passage of an imported statement: who said it, in the bank's fields, and what import could not
// settle (an open quotation, no organisation, which situation, too long for a card), which a person must.

/**
 * Who said it, in their fields: the heading's organisation, else the one the role names; the role without its
 * organisation, place or date; the place (when the heading names none) and the date apart.
 */
export function attribute(
  heading: Heading | undefined,
  who: Speaker | undefined,
): { organisation?: Organisation; speaker?: Speaker; place?: string; date?: string } {
  // Under an organisation's heading, a role's "of …" is part of the title ("President of the … Coalition").
  const parts = who?.role ? splitRole(who.role, { organisationInRole: !heading?.organisation }) : {}
  const organisation = heading?.organisation ?? parts.organisation
  const speaker: Speaker | undefined = who ? { ...who } : undefined
  if (speaker) {
    if (parts.role) speaker.role = parts.role
    else delete speaker.role
  }
  return {
    ...(organisation ? { organisation } : {}),
    ...(speaker ? { speaker } : {}),
    ...(parts.place ? { place: parts.place } : {}),
    ...(parts.date ? { date: parts.date } : {}),
  }
}

interface Drafted {
  body: string
  last: Passage
  paraText: string
  organisation: Organisation | undefined
  speaker: Speaker | undefined
  heading: Heading | undefined
}

/** What a person must settle for one passage: written into `incomplete` and reported at the passage. */
export function reasons(d: Drafted): {
  incomplete: string[]
  reports: [message: string, fix: string][]
  situation?: string
  excerpt?: string
} {
  const { body, last } = d
  const incomplete: string[] = []
  const reports: [string, string][] = []
  const askSource = 'check the full quote with its organisation'
  if (last.closed === 'open') {
    incomplete.push('the quotation is not closed in the source: check where it ends')
    reports.push(['quotation not closed: no closing mark before the paragraph ends', askSource])
  } else if (last.closed === 'glued') {
    const stray = /^[\p{L}\p{N}]+/u.exec(d.paraText.slice(last.end))?.[0] ?? ''
    incomplete.push(`the closing mark is followed by stray text ("${stray}"): the quote may be cut off`)
    reports.push([
      `quotation not closed: stray text "${stray}" straight after the closing mark (cut off?)`,
      askSource,
    ])
  } else if (!/[.!?…]["'’”»)\]]?$/.test(body)) {
    const tail = body.split(' ').slice(-3).join(' ')
    incomplete.push(`it ends without punctuation ("…${tail}"): it may be cut off in the source`)
    reports.push([
      `quotation not closed: it ends "…${tail}" with no closing punctuation (cut off?)`,
      askSource,
    ])
  }
  if (!d.organisation) {
    const what = d.speaker ? 'no organisation' : 'no speaker or organisation'
    incomplete.push(`${what} found: attribute it`)
    reports.push([`${what} found`, 'fill in organisation (and speaker), or delete the quote'])
  }
  const situation = situationOf(body, d.heading)
  if (situation === undefined && (d.heading?.situations.length ?? 0) > 1) {
    reports.push([
      `cannot tell which situation (${d.heading?.situations.join(' or ')}) it speaks about`,
      'set situation by hand',
    ])
  }
  const excerpt = draftExcerpt(body)
  if (excerpt) {
    reports.push([
      `quotation is ${[...body].length} characters, more than a card holds (${MAX_CARD_CHARS}): a draft excerpt was written`,
      'check the excerpt (left-out words are marked […]) or write your own',
    ])
  }
  return { incomplete, reports, ...(situation ? { situation } : {}), ...(excerpt ? { excerpt } : {}) }
}
