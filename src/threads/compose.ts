import type { Campaign } from '../campaign/schema.ts'
import { attribution, join } from '../cards/attribution.ts'
import { wordingOf } from '../cards/wording.ts'
import { InputError } from '../core/problem.ts'
import { carriesOwnMarks } from '../quotes/marks.ts'
import type { Platform, Quote } from '../quotes/schema.ts'
import { callToAction } from './call-to-action.ts'
import { countPost, fitsPost, POST_LIMITS } from './count.ts'
import { detectFacets } from './facets.ts'
import { atomize, packWithTail } from './split.ts'
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
/** A word that ends a sentence (closing marks may follow). */
const SENTENCE_DONE = /[.!?。！？؟။।][\s'"’”»)]*$/u
/** A "word" that is only closing punctuation typed apart (` »`): it belongs to the sentence before. */
const CLOSING_ONLY = /^[\p{Pe}\p{Pf}.,;:!?…]+$/u
/** Consecutive posts sharing this many words read as a repeat. */
const REPEAT_WORDS = 8

/** The organisation's @handle for this platform ("@alhaq_org" on X, "@ajar.bsky.social" on Bluesky). */
function orgHandle(quote: Quote, platform: Platform): string | undefined {
  const h = quote.organisation.handles[platform]
  return h ? `@${h.replace(/^@/, '')}` : undefined
}

/** Who said it, as the card shows it (anonymous speakers by role only), with the organisation's handle. */
function speakerLine(quote: Quote, platform: Platform, short = false): string {
  const { comma } = wordingOf(quote)
  const { primary, secondary } = attribution(quote, comma)
  const org = quote.organisation.name
  const handle = orgHandle(quote, platform)
  const shownOrg = short ? (quote.organisation.short ?? org) : org
  const tagged = handle ? `${shownOrg} (${handle})` : shownOrg
  const withOrg = (s: string) => (s.endsWith(org) ? `${s.slice(0, s.length - org.length)}${tagged}` : s)
  if (secondary === undefined) return withOrg(primary)
  // A long role reads badly in a one-line credit: the short form keeps the speaker and the organisation.
  if (short && quote.speaker?.role && !quote.speaker.anonymous && !quote.speaker.victim)
    return join(primary, tagged, comma)
  return join(primary, withOrg(secondary), comma)
}

/** Quotation marks in the quote's own typography: « » in French (with its spaces) and Arabic, „ “ in German. */
export function quoteMarks(quote: Quote): { open: string; close: string } {
  if (carriesOwnMarks(quote.text)) return { open: '', close: '' }
  const { open, close } = wordingOf(quote)
  return { open, close }
}

function fail(quote: Quote, platform: Platform, message: string, fix: string): never {
  throw new InputError([
    { file: quote.id, line: 0, col: 0, message: `${platform}: ${message}`, fix, severity: 'error' },
  ])
}

/** The quote's first sentence and the text after it (trimmed); the whole text when it has one sentence. */
function firstSentence(text: string): { sentence: string; rest: string } {
  const tokens = text.split(/(\s+)/u)
  let end = -1
  for (let i = 0; i < tokens.length; i += 2) {
    const word = tokens[i] ?? ''
    // A paragraph ends its sentence, whatever its last character.
    if (end < 0 && i > 0 && tokens[i - 1]?.includes('\n')) end = i - 2
    if (end >= 0) {
      // Closing marks typed after a space ("ambitions. »") end the sentence with it.
      if (CLOSING_ONLY.test(word)) end = i
      else break
    } else if (SENTENCE_DONE.test(word)) end = i
  }
  if (end < 0) return { sentence: text, rest: '' }
  return {
    sentence: tokens.slice(0, end + 1).join(''),
    rest: tokens
      .slice(end + 1)
      .join('')
      .trim(),
  }
}

/** Words as a reader compares them: letters and digits only, lower-cased. */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).filter(Boolean)
}

/** Whether two texts share a run of `n` or more words (a reader would read them twice in a row). */
function sharesRun(a: string, b: string, n = REPEAT_WORDS): boolean {
  const runs = new Set<string>()
  const wa = words(a)
  for (let i = 0; i + n <= wa.length; i++) runs.add(wa.slice(i, i + n).join(' '))
  const wb = words(b)
  for (let i = 0; i + n <= wb.length; i++) if (runs.has(wb.slice(i, i + n).join(' '))) return true
  return false
}

interface Opening {
  /** The quote's words shown in the hook, with their marks ('' for none). */
  shown: string
  /** The quote text the following posts carry, with its marks ('' when the hook said all of it). */
  rest: string
}

/**
 * @NOTE What the hook quotes, best first: the excerpt, else the first sentence, else nothing; never words cut
 * mid-sentence. We chose "the full quote starts where the hook's words end": the hook quotes the opening and
 * the next post goes on from there, so the thread still gives the whole quote, once, in order, and a reader who
 * only sees the hook reads a whole sentence. (A hook with no quote at all would waste the post that is seen most.)
 * An excerpt is not always the opening: the posts then carry the text after the excerpt's first words, and the
 * excerpt is used only if the next post does not repeat it.
 */
function openings(quote: Quote): Opening[] {
  const marks = quoteMarks(quote)
  const text = quote.text.trim()
  const wrap = (s: string) => (s ? `${marks.open}${s}${marks.close}` : '')
  const out: Opening[] = []
  if (quote.excerpt) {
    const excerpt = quote.excerpt.trim()
    const lead = (excerpt.split(/\s*(?:\[…\]|\[\.\.\.\]|…)\s*/u)[0] ?? '').trim()
    const rest = lead && text.startsWith(lead) ? text.slice(lead.length).trim() : text
    out.push({ shown: wrap(excerpt), rest: wrap(rest) })
  }
  const { sentence, rest } = firstSentence(text)
  // A one-sentence quote is quoted whole; the thread is then the hook and a closing post (see composeThread).
  out.push({ shown: wrap(sentence), rest: wrap(rest) })
  out.push({ shown: '', rest: wrap(text) })
  return out
}

export function composeThread(input: ComposeInput): ComposedThread {
  const { quote, campaign, platform, card } = input
  const numbered = campaign.numbering
  const fits = (s: string) => fitsPost(platform, numbered ? `${s}${WIDEST_NUMBER}` : s)
  const texts = threadTexts(quote, campaign, platform, fits)
  if (!texts)
    return fail(
      quote,
      platform,
      'the first post (speaker, organisation, situation and hashtags) does not fit in one post',
      'shorten the role, organisation name or situation, or use fewer hashtags',
    )
  if (!texts.every(fits))
    fail(
      quote,
      platform,
      'the closing post (credit, call to action, link) does not fit in one post',
      'shorten call_to_action',
    )
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

/** What every try at a thread's posts shares. */
interface Attempt {
  quote: Quote
  campaign: Campaign
  platform: Platform
  fits: (s: string) => boolean
  /** The call to action. */
  cta: string
  /** "— Name, Role, Org (@handle)". */
  credit: string
  /** Credit, call to action and link, which end the quote's last post when they fit. */
  tail: string
  tags: string
}

/** The posts' texts (unnumbered) for the best opening and speaker line that fit, or undefined if none does. */
function threadTexts(
  quote: Quote,
  campaign: Campaign,
  platform: Platform,
  fits: (s: string) => boolean,
): string[] | undefined {
  // @NOTE The credit and the call to action end the quote's last post when they fit there. The credit also
  // keeps that post different from other threads' last posts: X refuses a post that repeats an earlier one.
  const cta = callToAction(campaign, quote)
  const credit = `— ${speakerLine(quote, platform, true)}`
  const tail = `${credit}\n\n${cta}\n${campaign.statement_url}`
  const attempt: Attempt = {
    quote,
    campaign,
    platform,
    fits,
    cta,
    credit,
    tail,
    tags: campaign.hashtags.join(' '),
  }
  // The quote's words matter more than the organisation's full name: the short name is tried before a hook
  // gives up quoting (a hook with no quote also reads the same for every such quote of an organisation).
  for (const opening of openings(quote)) {
    for (const name of [speakerLine(quote, platform), speakerLine(quote, platform, true)]) {
      const texts = textsWith(attempt, opening, name)
      if (texts) return texts
    }
  }
  return undefined
}

/** The posts' texts with this opening and this speaker line, or undefined when they do not make a thread. */
function textsWith(a: Attempt, { shown, rest }: Opening, name: string): string[] | undefined {
  const { quote, campaign, platform, fits, cta } = a
  const w = wordingOf(quote)
  const locale = quote.language
  // "Nur, a Rohingya victim, AJAR, on Bangladesh/Myanmar".
  const who = quote.situation ? w.about(name, quote.situation) : name
  // @NOTE A post with no words of the quote (a hook that cannot quote it, or a closing post after a hook
  // that quoted all of it) reads the same in every such thread of an organisation, and X refuses a post
  // that repeats an earlier one. On X its link carries the quote's id as a fragment: hidden by X's
  // shortened link display, ignored by the statement page, and the post is the quote's own.
  const link = `${campaign.statement_url}${platform === 'x' && !campaign.statement_url.includes('#') ? `#${quote.id}` : ''}`
  const close = `${cta}\n${link}`
  if (!shown) {
    // The hook cannot quote: it carries the call to action, and the quote's last post the credit.
    const first = `${who}\n\n${a.tags}\n\n${close}`
    if (!fits(first)) return undefined
    return [first, ...packWithTail(atomize(rest, fits, locale), a.credit, '\n\n', fits)]
  }
  const first = `${who}${w.colon}\n\n${shown}\n\n${a.tags}`
  if (!fits(first)) return undefined
  if (!rest) {
    // The hook said the whole quote and names who said it: the call to action ends that one post if it fits.
    const single = `${first}\n\n${cta}\n${campaign.statement_url}`
    return fits(single) ? [single] : [first, `${a.credit}\n\n${close}`]
  }
  const body = packWithTail(atomize(rest, fits, locale), a.tail, '\n\n', fits)
  if (body[0] !== undefined && sharesRun(first, body[0])) return undefined
  return [first, ...body]
}

/** Each part's count against its platform's limit, for `post --dry-run` and previews. */
export function partCounts(thread: ComposedThread): { count: number; limit: number }[] {
  const limit = POST_LIMITS[thread.platform]
  return thread.parts.map((p) => ({ count: countPost(thread.platform, p.text), limit }))
}
