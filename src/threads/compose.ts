import type { Campaign } from '../campaign/schema.ts'
import { attribution, join } from '../cards/attribution.ts'
import { scriptOf } from '../cards/text.ts'
import { carriesOwnMarks, withoutOpeningMark } from '../quotes/marks.ts'
import { InputError } from '../quotes/problem.ts'
import type { Platform, Quote } from '../quotes/schema.ts'
import { countPost, fitsPost, POST_LIMITS } from './count.ts'
import { detectFacets } from './facets.ts'
import { atomize, BREAK, BREAKING_SPACE, pack } from './split.ts'
import type { CardImage, ComposedThread, ThreadPart } from './types.ts'

// @NOTE A thread per quote and platform: a hook with the card (who, where, the quote's opening, the hashtags),
// the full quote in as many posts as it needs, then who said it, the call to action and the statement link.
// Pure: the same input gives the same thread, so the queue can compose again on a retry and get the same parts.

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

/** Numbering reserves room for the widest label we allow; a quote that needs more posts is refused. */
const MAX_POSTS = 99
const WIDEST_NUMBER = `\n${MAX_POSTS}/${MAX_POSTS}`
/** The opening shown in the hook: the first sentence when it is this short, else the first words up to it. */
const OPENING_CHARS = 110
/** A word or excerpt that ends a sentence (closing marks may follow). */
const SENTENCE_DONE = /[.!?。！？؟။][\s'"’”»]*$/u

/** The organisation's @handle for this platform ("@alhaq_org" on X, "@ajar.bsky.social" on Bluesky). */
export function orgHandle(quote: Quote, platform: Platform): string | undefined {
  const h = quote.organisation.handles[platform]
  return h ? `@${h.replace(/^@/, '')}` : undefined
}

/** Who said it, as the card shows it (anonymous speakers by role only), with the organisation's handle. */
export function speakerLine(quote: Quote, platform: Platform, short = false): string {
  const { primary, secondary } = attribution(quote)
  const org = quote.organisation.name
  const handle = orgHandle(quote, platform)
  const shownOrg = short ? (quote.organisation.short ?? org) : org
  const tagged = handle ? `${shownOrg} (${handle})` : shownOrg
  const withOrg = (s: string) => (s.endsWith(org) ? `${s.slice(0, s.length - org.length)}${tagged}` : s)
  if (secondary === undefined) return withOrg(primary)
  // A long role reads badly in a one-line credit: the short form keeps the speaker and the organisation.
  if (short && quote.speaker?.role && !quote.speaker.anonymous && !quote.speaker.victim)
    return join(primary, tagged)
  return join(primary, withOrg(secondary))
}

/** Quotation marks in the quote's own typography: « » in French (with its spaces) and Arabic, „ “ in German. */
export function quoteMarks(quote: Quote): { open: string; close: string } {
  if (carriesOwnMarks(quote.text)) return { open: '', close: '' }
  return languageMarks(quote)
}

/** The quotation marks of the quote's language (« » French and Arabic, „ “ German, “ ” otherwise). */
function languageMarks(quote: Quote): { open: string; close: string } {
  const lang = quote.language.toLowerCase().split('-')[0]
  if (lang === 'fr') return { open: '«\u202f', close: '\u202f»' }
  if (lang === 'de') return { open: '„', close: '“' }
  if (lang === 'ar' || scriptOf(quote.text) === 'arabic') return { open: '«', close: '»' }
  return { open: '“', close: '”' }
}

function fail(quote: Quote, platform: Platform, message: string, fix: string): never {
  throw new InputError([
    { file: quote.id, line: 0, col: 0, message: `${platform}: ${message}`, fix, severity: 'error' },
  ])
}

/**
 * The quote's first words for the hook: a short first sentence whole, else words up to OPENING_CHARS, and never
 * most of a short quote (the next post gives it in full; the hook should make one want to read it).
 */
function openings(text: string): string[] {
  const words = text.split(BREAKING_SPACE).filter(Boolean)
  const cap = Math.min(OPENING_CHARS, Math.floor(text.length * 0.6))
  const out: string[] = []
  let acc = ''
  for (const w of words) {
    acc = acc ? `${acc} ${w}` : w
    if (acc.length > cap && out.length > 0) break
    out.push(acc)
    if (SENTENCE_DONE.test(w)) break
  }
  // Longest first, so the hook shows as much as fits.
  return out.reverse()
}

function hook(input: ComposeInput, fits: (s: string) => boolean): string {
  const { quote, campaign, platform } = input
  // The hook always shows its excerpt in marks; a quote that opens with its own mark lends it to them.
  const marks = languageMarks(quote)
  const tags = campaign.hashtags.join(' ')
  const text = withoutOpeningMark(quote.text.trim())
  for (const name of [speakerLine(quote, platform), speakerLine(quote, platform, true)]) {
    // "Nur, a Rohingya victim, AJAR, on Bangladesh/Myanmar" but "CICC on the budget".
    const who = quote.situation ? `${name}${/[,،]/.test(name) ? ',' : ''} on ${quote.situation}` : name
    for (const opening of openings(text)) {
      // No "…" after a whole sentence ("ambitions.…"): the next post gives the rest anyway.
      const ellipsis = opening.length < text.length && !SENTENCE_DONE.test(opening) ? '…' : ''
      const post = `${who}:\n\n${marks.open}${opening}${ellipsis}${marks.close}\n\n${tags}`
      if (fits(post)) return post
    }
    const bare = `${who}\n\n${tags}`
    if (fits(bare)) return bare
  }
  return fail(
    quote,
    platform,
    'the first post (speaker, organisation, situation and hashtags) does not fit in one post',
    'shorten the role, organisation name or situation, or use fewer hashtags',
  )
}

export function composeThread(input: ComposeInput): ComposedThread {
  const { quote, campaign, platform, card } = input
  const numbered = campaign.numbering
  const fits = (s: string) => fitsPost(platform, numbered ? `${s}${WIDEST_NUMBER}` : s)
  const locale = quote.language
  const first = hook(input, fits)
  const marks = quoteMarks(quote)

  // @NOTE The credit and the call to action end the quote's last post when they fit there. The credit also
  // keeps that post different from other threads' last posts: X refuses a post that repeats an earlier one.
  const tail = `— ${speakerLine(quote, platform, true)}\n\n${campaign.call_to_action}\n${campaign.statement_url}`
  if (!fits(tail))
    fail(
      quote,
      platform,
      'the closing post (credit, call to action, link) does not fit in one post',
      'shorten call_to_action',
    )
  const atoms = [
    ...atomize(`${marks.open}${quote.text.trim()}${marks.close}`, fits, locale),
    { text: tail, sep: '\n\n', level: BREAK.paragraph },
  ]
  const texts = [first, ...pack(atoms, fits)]
  if (texts.length > MAX_POSTS)
    fail(
      quote,
      platform,
      `the thread needs ${texts.length} posts`,
      `keep it under ${MAX_POSTS}: shorten the quote`,
    )

  const parts: ThreadPart[] = texts.map((t, index) => {
    const text = numbered ? `${t}\n${index + 1}/${texts.length}` : t
    const part: ThreadPart = { index, text }
    if (index === 0) part.image = card
    if (platform === 'bluesky') {
      part.facets = detectFacets(text).facets
      part.langs = [quote.language]
    }
    return part
  })
  return {
    campaign: campaign.id,
    day: input.day,
    threadId: input.threadId,
    quoteId: quote.id,
    platform,
    parts,
  }
}

/** Each part's count against its platform's limit, for `post --dry-run` and previews. */
export function partCounts(thread: ComposedThread): { count: number; limit: number }[] {
  const limit = POST_LIMITS[thread.platform]
  return thread.parts.map((p) => ({ count: countPost(thread.platform, p.text), limit }))
}
