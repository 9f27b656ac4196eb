import { describe, expect, it } from 'vitest'
import type { Campaign } from '../../src/campaign/schema.ts'
import { campaignSchema } from '../../src/campaign/schema.ts'
import { MAX_CARD_CHARS, MAX_TEXT_CHARS } from '../../src/quotes/limits.ts'
import { quoteFindings, unbalancedMarks } from '../../src/quotes/rules.ts'
import { type Quote, quoteSchema } from '../../src/quotes/schema.ts'

const campaign: Campaign = campaignSchema.parse({
  id: 'c',
  name: 'C',
  hashtags: ['#NGOVoices'],
  timezone: 'Europe/Amsterdam',
  statement_url: 'https://example.org',
  days: [{ date: '2022-12-05' }, { date: '2022-12-06' }],
  windows: [{ start: '09:00', end: '17:00' }],
  platforms: {},
})
const quote = (extra: Record<string, unknown> = {}): Quote =>
  quoteSchema.parse({
    id: 'q',
    text: 'Justice delayed is justice denied.',
    language: 'en',
    organisation: { name: 'AJAR' },
    source: { title: 'Statement' },
    consent: { status: 'granted' },
    ...extra,
  })
const messages = (q: Quote) =>
  quoteFindings(q, campaign).map((f) => `${f.severity} ${f.path.join('.')}: ${f.message}`)

describe('quote rules beyond the schema', () => {
  it('a clean quote has no findings', () => {
    expect(messages(quote())).toEqual([])
  })

  it('quotation marks: curly, German low-high, guillemets and straight marks pair up', () => {
    expect(unbalancedMarks('He said “enough” and left.')).toBeUndefined()
    expect(unbalancedMarks('Sie sagte „genug“ und ging.')).toBeUndefined()
    expect(unbalancedMarks('Il a dit « assez » et il est parti.')).toBeUndefined()
    expect(unbalancedMarks('He said "enough" and left.')).toBeUndefined()
    expect(unbalancedMarks('the Court’s budget')).toBeUndefined()
    expect(unbalancedMarks('He said “enough and left.')).toBe('1 opening and 0 closing curly quotation marks')
    expect(unbalancedMarks('Il a dit « assez et il est parti.')).toBe('1 « and 0 »')
    expect(unbalancedMarks('He said "enough and left.')).toBe('an odd number of straight quotation marks (")')
  })

  it('card and text limits name the length and the limit', () => {
    const long = 'word '.repeat(100).trim()
    expect(messages(quote({ text: long }))).toEqual([
      `error text: text is ${long.length} characters, a card holds at most ${MAX_CARD_CHARS}`,
    ])
    // An excerpt that fits makes a long text fine on the card.
    expect(messages(quote({ text: long, excerpt: 'word […] word' }))).toEqual([])
    expect(messages(quote({ text: long, excerpt: long }))[0]).toMatch(
      /^error excerpt: excerpt is 499 characters/,
    )
    const huge = 'x'.repeat(MAX_TEXT_CHARS + 1)
    expect(messages(quote({ text: huge, excerpt: 'x' }))).toEqual([
      `error text: text is ${MAX_TEXT_CHARS + 1} characters, a quote holds at most ${MAX_TEXT_CHARS}`,
    ])
  })

  it('counts characters as code points: an emoji is one, a lone surrogate half is one', () => {
    // 🏽 is a surrogate pair; "\ud83d" alone and "\udc00" alone are halves without their partner.
    const text = `${'✊🏽'.repeat(100)}\ud83d x \udc00${'é'.repeat(250)}`
    expect(messages(quote({ text }))).toEqual([
      `error text: text is ${[...text].length} characters, a card holds at most ${MAX_CARD_CHARS}`,
    ])
    expect([...text].length).toBe(455)
  })

  it('language tags: canonical BCP 47 only', () => {
    expect(messages(quote({ language: 'pt-BR' }))).toEqual([])
    expect(messages(quote({ language: 'EN' }))).toEqual([
      'error language: language "EN" is not written the standard way',
    ])
    expect(quoteFindings(quote({ language: 'en-gb' }), campaign)[0]?.fix).toBe('write en-GB')
    expect(messages(quote({ language: 'en_GB' }))).toEqual([
      'error language: language "en_GB" is not a BCP 47 language tag',
    ])
  })

  it('embargo: instant or local time in the campaign zone; after the last window it can never post', () => {
    expect(messages(quote({ embargo_until: '2022-12-06T16:59' }))).toEqual([])
    // 15:59Z is 16:59 in Amsterdam (UTC+1 in December): still inside the last window.
    expect(messages(quote({ embargo_until: '2022-12-06T15:59Z' }))).toEqual([])
    expect(messages(quote({ embargo_until: '2022-12-06T16:00Z' }))).toEqual([
      'error embargo_until: embargo_until 2022-12-06T16:00Z is after the last posting window (2022-12-06 17:00): the quote could never be posted',
    ])
    expect(messages(quote({ embargo_until: '2022-11-30' }))).toEqual([
      'warning embargo_until: embargo_until 2022-11-30 ends before the session starts (2022-12-05), so it has no effect',
    ])
    expect(messages(quote({ embargo_until: '2022-13-01T10:00' }))[0]).toMatch(/is not a date and time/)
  })

  it('pins must name a session day', () => {
    expect(messages(quote({ pin: '2022-12-06T10:00' }))).toEqual([])
    expect(messages(quote({ pin: '2022-12-09' }))).toEqual(['error pin: pin 2022-12-09 is not a session day'])
    expect(messages(quote({ pin: 'monday' }))).toEqual([
      'error pin: pin "monday" is neither a day nor a local slot',
    ])
  })

  it('consent and incomplete are warnings, not errors', () => {
    expect(messages(quote({ consent: { status: 'withdrawn' }, incomplete: 'cut off' }))).toEqual([
      'warning consent.status: consent withdrawn: this quote is never posted',
      'warning incomplete: incomplete: cut off',
    ])
  })

  it('font coverage is checked on every field the card shows, not on an anonymous name', () => {
    const uncovered = (s: string) => [...s].filter((c) => c === '正')
    const q = quote({
      text: '正 justice',
      speaker: { name: '正', role: 'victim 正', anonymous: true },
      situation: '正',
    })
    expect(quoteFindings(q, campaign, uncovered).map((f) => f.path.join('.'))).toEqual([
      'text',
      'speaker.role',
      'situation',
    ])
    expect(quoteFindings(q, campaign, uncovered)[0]?.message).toBe(
      'text has "正" (U+6B63), which no card font can draw',
    )
  })

  it('a victim’s granted quote needs a consent note; an over-long alt text is flagged before it is cut', () => {
    const victim = { name: 'Nur', role: 'a Rohingya victim', victim: true }
    expect(messages(quote({ speaker: victim }))).toEqual([
      'warning consent.status: a victim’s quote with consent granted but no note of who gave it',
    ])
    expect(
      messages(quote({ speaker: victim, consent: { status: 'granted', note: 'AJAR, 28 Nov' } })),
    ).toEqual([])
    expect(messages(quote({ alt_text: 'a'.repeat(1001) }))).toEqual([
      'warning alt_text: alt_text is 1001 characters; X takes at most 1000, so it will be cut',
    ])
  })
})
