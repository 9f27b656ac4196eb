import type { Campaign } from '../campaign/schema.ts'
import { embargoInstant, localToUtc, parsePin, wallTime, wallTimeProblem } from '../core/time.ts'
import type { Finding } from './finding.ts'
import { MAX_ALT_CHARS, MAX_CARD_CHARS, MAX_TEXT_CHARS } from './limits.ts'
import type { Quote } from './schema.ts'

// @NOTE Rules the schema cannot express: they need the campaign, the card's limits or the card fonts.

export type CoverageCheck = (text: string) => string[]

/** Organisation names, roles and situations repeat across a bank: check each distinct value once. */
export function memoised(check: CoverageCheck): CoverageCheck {
  const seen = new Map<string, string[]>()
  return (text) => {
    let found = seen.get(text)
    if (!found) {
      found = check(text)
      seen.set(text, found)
    }
    return found
  }
}

/** Characters as `[...s].length` counts them (code points), without making the array. */
function chars(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xd800 || c > 0xdbff) continue
    const d = s.charCodeAt(i + 1)
    if (d >= 0xdc00 && d <= 0xdfff) {
      n--
      i++
    }
  }
  return n
}

/** Whether `s` has more than `max` characters; no count needed when it has no more UTF-16 units than that. */
const longer = (s: string, max: number) => s.length > max && chars(s) > max

function lengthFindings(q: Quote): Finding[] {
  const out: Finding[] = []
  if (longer(q.text, MAX_TEXT_CHARS)) {
    out.push({
      path: ['text'],
      message: `text is ${chars(q.text)} characters, a quote holds at most ${MAX_TEXT_CHARS}`,
      fix: 'split it into two quotes or cut it, marking left-out words with […]',
      severity: 'error',
    })
  }
  const field = q.excerpt === undefined ? 'text' : 'excerpt'
  const card = q.excerpt ?? q.text
  if (longer(card, MAX_CARD_CHARS)) {
    out.push({
      path: [field],
      message: `${field} is ${chars(card)} characters, a card holds at most ${MAX_CARD_CHARS}`,
      fix:
        field === 'text'
          ? 'add a shorter excerpt: with […] for left-out words'
          : 'shorten the excerpt, with […] for left-out words',
      severity: 'error',
    })
  }
  return out
}

const count = (s: string, ch: string) => s.split(ch).length - 1

/** Why the quotation marks of `s` do not pair up, or undefined when they do. */
export function unbalancedMarks(s: string): string | undefined {
  if (!/[„“”«»"]/.test(s)) return undefined
  // „…“ (German, Polish…) closes with “, so “ only opens when „ is absent.
  const low = count(s, '„')
  const opens = low > 0 ? low : count(s, '“')
  const closes = low > 0 ? count(s, '“') + count(s, '”') : count(s, '”')
  if (opens !== closes) return `${opens} opening and ${closes} closing curly quotation marks`
  if (count(s, '«') !== count(s, '»')) return `${count(s, '«')} « and ${count(s, '»')} »`
  if (count(s, '"') % 2 === 1) return 'an odd number of straight quotation marks (")'
  return undefined
}

function markFindings(q: Quote): Finding[] {
  const out: Finding[] = []
  for (const field of ['text', 'excerpt'] as const) {
    const s = q[field]
    const why = s === undefined ? undefined : unbalancedMarks(s)
    if (why) {
      out.push({
        path: [field],
        message: `${field} has unbalanced quotation marks: ${why}`,
        fix: 'close the quotation inside the quote or remove the stray mark (the card adds its own marks)',
        severity: 'error',
      })
    }
  }
  return out
}

/** Canonical forms of the language tags seen: a bank repeats a handful of tags thousands of times. */
const canonicalTags = new Map<string, string | undefined>()

function canonicalTag(tag: string): string | undefined {
  if (canonicalTags.has(tag)) return canonicalTags.get(tag)
  let canonical: string | undefined
  try {
    canonical = Intl.getCanonicalLocales(tag)[0]
  } catch {
    canonical = undefined
  }
  canonicalTags.set(tag, canonical)
  return canonical
}

function languageFindings(q: Quote): Finding[] {
  const canonical = canonicalTag(q.language)
  if (canonical === undefined) {
    return [
      {
        path: ['language'],
        message: `language "${q.language}" is not a BCP 47 language tag`,
        fix: 'write a tag such as en, fr, ar, my or pt-BR',
        severity: 'error',
      },
    ]
  }
  const primary = canonical.split('-')[0] ?? ''
  // 5–8 letter primary subtags are well-formed but reserved: "english" is a mistake, not a language.
  if (!/^[a-z]{2,3}$/.test(primary)) {
    return [
      {
        path: ['language'],
        message: `language "${q.language}" is not a language code`,
        fix: 'write the 2- or 3-letter code, such as en, fr, ar or my',
        severity: 'error',
      },
    ]
  }
  if (canonical !== q.language) {
    return [
      {
        path: ['language'],
        message: `language "${q.language}" is not written the standard way`,
        fix: `write ${canonical}`,
        severity: 'error',
      },
    ]
  }
  return []
}

function sessionBounds(c: Campaign): { first: string; last: string } | undefined {
  const first = c.days[0]?.date
  const last = c.days.at(-1)?.date
  if (!first || !last) return undefined
  return { first, last }
}

/** An embargo that is not a time, outlasts the session, or ends before it starts. */
function embargoFindings(q: Quote, c: Campaign): Finding[] {
  const bounds = sessionBounds(c)
  if (q.embargo_until === undefined || !bounds) return []
  const out: Finding[] = []
  const at = embargoInstant(q.embargo_until, c.timezone)
  const start = localToUtc(bounds.first, '00:00', c.timezone)
  // Nothing is posted after the last window of the last day, so an embargo ending later blocks the quote.
  const lastWindow =
    c.windows
      .map((w) => w.end)
      .sort()
      .at(-1) ?? '23:59'
  const endDay = localToUtc(bounds.last, lastWindow, c.timezone)
  if (at === undefined) {
    out.push({
      path: ['embargo_until'],
      message: `embargo_until "${q.embargo_until}" is not a date and time`,
      fix: `write YYYY-MM-DDTHH:mm (read in ${c.timezone}) or an instant such as 2022-12-06T08:00Z`,
      severity: 'error',
    })
  } else if (endDay && at >= endDay) {
    out.push({
      path: ['embargo_until'],
      message: `embargo_until ${q.embargo_until} is after the last posting window (${bounds.last} ${lastWindow}): the quote could never be posted`,
      fix: `move the embargo to a time between ${bounds.first} and ${bounds.last} (${c.timezone}), or remove the quote`,
      severity: 'error',
    })
  } else if (start && at < start) {
    out.push({
      path: ['embargo_until'],
      message: `embargo_until ${q.embargo_until} ends before the session starts (${bounds.first}), so it has no effect`,
      fix: 'check the date (the year?) or remove embargo_until',
      severity: 'warning',
    })
  }
  return out
}

/** A pin that is not a day or slot, falls outside the session, or at a time the clocks skip or repeat. */
function pinFindings(q: Quote, c: Campaign): Finding[] {
  if (q.pin === undefined) return []
  const out: Finding[] = []
  const days = new Set(c.days.map((d) => d.date))
  const pin = parsePin(q.pin)
  if (!pin) {
    out.push({
      path: ['pin'],
      message: `pin "${q.pin}" is neither a day nor a local slot`,
      fix: `write YYYY-MM-DD or YYYY-MM-DDTHH:mm (read in ${c.timezone})`,
      severity: 'error',
    })
  } else if (!days.has(pin.day)) {
    out.push({
      path: ['pin'],
      message: `pin ${q.pin} is not a session day`,
      fix: `pin to one of ${[...days].join(', ')}`,
      severity: 'error',
    })
  } else if (pin.kind === 'slot') {
    const problem = wallTimeProblem(pin.day, pin.time, c.timezone)
    const missing = wallTime(pin.day, pin.time, c.timezone).kind === 'missing'
    if (problem)
      out.push({
        path: ['pin'],
        message: `pin ${q.pin}: ${problem}`,
        fix: missing
          ? 'pin a time outside the skipped hour'
          : 'pin a time outside the repeated hour, so staff and the worker mean the same moment',
        severity: missing ? 'error' : 'warning',
      })
  }
  return out
}

function timeFindings(q: Quote, c: Campaign): Finding[] {
  return [...embargoFindings(q, c), ...pinFindings(q, c)]
}

function coverageFindings(q: Quote, uncovered: CoverageCheck): Finding[] {
  const fields: [string[], string | undefined][] = [
    [[q.excerpt === undefined ? 'text' : 'excerpt'], q.excerpt ?? q.text],
    [['speaker', 'name'], q.speaker?.anonymous ? undefined : q.speaker?.name],
    [['speaker', 'role'], q.speaker?.role],
    [['organisation', 'name'], q.organisation.name],
    [['situation'], q.situation],
  ]
  const out: Finding[] = []
  for (const [path, value] of fields) {
    if (value === undefined) continue
    for (const ch of uncovered(value)) {
      const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
      out.push({
        path,
        message: `${path.join('.')} has "${ch}" (${code}), which no card font can draw`,
        fix: 'replace the character, or add a font that covers it to the card fonts',
        severity: 'error',
      })
    }
  }
  return out
}

function statusFindings(q: Quote): Finding[] {
  const out: Finding[] = []
  const alt = q.alt_text === undefined ? 0 : [...q.alt_text].length
  if (alt > MAX_ALT_CHARS) {
    out.push({
      path: ['alt_text'],
      message: `alt_text is ${alt} characters; X takes at most ${MAX_ALT_CHARS}, so it will be cut`,
      fix: `shorten it to ${MAX_ALT_CHARS} characters`,
      severity: 'warning',
    })
  }
  // A victim's words are posted only with consent someone can account for.
  if (q.speaker?.victim && q.consent.status === 'granted' && !q.consent.note) {
    out.push({
      path: ['consent', 'status'],
      message: 'a victim’s quote with consent granted but no note of who gave it',
      fix: 'add consent.note: who confirmed consent, and when',
      severity: 'warning',
    })
  }
  if (q.consent.status === 'pending') {
    out.push({
      path: ['consent', 'status'],
      message: 'consent pending: this quote is not scheduled',
      fix: 'set consent.status: granted once the speaker or organisation agrees',
      severity: 'warning',
    })
  }
  if (q.consent.status === 'withdrawn') {
    out.push({
      path: ['consent', 'status'],
      message: 'consent withdrawn: this quote is never posted',
      fix: 'leave it, or remove the quote from the bank',
      severity: 'warning',
    })
  }
  if (q.incomplete !== undefined) {
    out.push({
      path: ['incomplete'],
      message: `incomplete: ${q.incomplete}`,
      fix: 'finish the quote, then remove the incomplete line',
      severity: 'warning',
    })
  }
  return out
}

/** Every rule beyond the schema; the campaign-bound ones only when the campaign is known. */
export function quoteFindings(
  q: Quote,
  campaign: Campaign | undefined,
  uncovered?: CoverageCheck,
): Finding[] {
  return [
    ...lengthFindings(q),
    ...markFindings(q),
    ...languageFindings(q),
    ...(campaign ? timeFindings(q, campaign) : []),
    ...(uncovered ? coverageFindings(q, uncovered) : []),
    ...statusFindings(q),
  ]
}
