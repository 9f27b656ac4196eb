import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Campaign } from '../../src/campaign/schema.ts'
import { cardAlt } from '../../src/cards/index.ts'
import { loadBank } from '../../src/quotes/load.ts'
import type { Quote, QuoteInput } from '../../src/quotes/schema.ts'
import { composeThread, quoteMarks } from '../../src/threads/compose.ts'
import { countPost, POST_LIMITS } from '../../src/threads/count.ts'
import type { CardImage, ComposedThread } from '../../src/threads/types.ts'
import { makeQuote } from '../cards/helpers.ts'
import { quoteText } from './arbitraries.ts'
import { splitProblem } from './split-check.ts'

const bank = await loadBank('fixtures/asp21')
const card = (alt: string): CardImage => ({
  data: new Uint8Array([1]),
  mime: 'image/png',
  width: 1600,
  height: 900,
  alt,
})

const AJAR = {
  name: 'Asia Justice and Rights',
  short: 'AJAR',
  handles: { x: '@ajar_x', bluesky: 'ajar.bsky.social' },
}
const quoteWith = (text: string, over: Partial<QuoteInput> = {}): Quote =>
  makeQuote({ id: 'q', text, language: 'und', organisation: AJAR, ...over })

function compose(quote: Quote, platform: 'x' | 'bluesky', campaign: Campaign = bank.campaign) {
  return composeThread({
    quote,
    campaign,
    platform,
    day: '2022-12-05',
    threadId: `t-${quote.id}`,
    card: card('A card'),
  })
}

/** Every post within the limit, numbered from 0, the card on the first post only. */
function expectPartsShape(t: ComposedThread, platform: 'x' | 'bluesky'): void {
  for (const p of t.parts) expect(countPost(platform, p.text)).toBeLessThanOrEqual(POST_LIMITS[platform])
  expect(t.parts.map((p) => p.index)).toEqual([...Array(t.parts.length).keys()])
  expect(t.parts[0]?.image?.alt).toBe('A card')
  expect(t.parts.slice(1).every((p) => p.image === undefined)).toBe(true)
}

/** The posts' texts, each numbering label checked and taken off. */
function withoutNumbers(t: ComposedThread, numbering: boolean): string[] {
  const n = t.parts.length
  return t.parts.map((p) => {
    if (!numbering) return p.text
    expect(p.text.endsWith(`\n${p.index + 1}/${n}`)).toBe(true)
    return p.text.slice(0, p.text.lastIndexOf('\n'))
  })
}

/**
 * The hook: who, then the quote's first sentence whole in its marks (or no quote), then the hashtags.
 * Returns the quote text the body must carry after it, in its marks ('' when the hook said all of it).
 */
function quoteAfterHook(hook: string, q: Quote, campaign: Campaign): string {
  const { open, close } = quoteMarks(q)
  const head = hook.slice(0, hook.indexOf(`\n\n${campaign.hashtags.join(' ')}`))
  const shown = head.includes(':\n\n') ? head.slice(head.indexOf(':\n\n') + 3) : ''
  if (!shown) return `${open}${q.text}${close}`
  expect(shown.startsWith(open) && shown.endsWith(close)).toBe(true)
  const inner = shown.slice(open.length, shown.length - close.length)
  expect(q.text.startsWith(inner)).toBe(true)
  const after = q.text.slice(inner.length)
  // Never cut mid-sentence: the hook ends at a sentence's or a paragraph's end.
  const whole = after === '' || /[.!?…。！？؟။।]['"’”»)\]]*$/u.test(inner) || /^\s*\n/u.test(after)
  expect(whole).toBe(true)
  const rest = after.trim()
  return rest ? `${open}${rest}${close}` : ''
}

/** A body post's words of the quote: the body goes on where the hook stopped; the credit and the call to action close it. */
function quotePart(t: string): string {
  const at = t.startsWith('— ') ? 0 : t.indexOf('\n\n— ')
  return at < 0 ? t : t.slice(0, at)
}

describe('composeThread', () => {
  for (const platform of ['x', 'bluesky'] as const) {
    it(`${platform}: hook with the card first, the whole quote in order, the link last, every post within the limit`, () => {
      fc.assert(
        fc.property(quoteText, fc.boolean(), (text, numbering) => {
          const campaign = { ...bank.campaign, numbering }
          const t = compose(quoteWith(text), platform, campaign)
          expectPartsShape(t, platform)
          const texts = withoutNumbers(t, numbering)
          expect(texts.join('\n')).toContain(`${campaign.call_to_action}\n${campaign.statement_url}`)
          const [hook = '', ...body] = texts
          const expected = quoteAfterHook(hook, quoteWith(text), campaign)
          const quoted = body.map(quotePart).filter((t) => t !== '')
          if (!expected) {
            expect(quoted).toEqual([])
            return
          }
          const problem = splitProblem(expected, quoted, platform, numbering ? '\n99/99' : '')
          if (problem) throw new Error(`${problem}\n${JSON.stringify(t.parts.map((p) => p.text))}`)
        }),
        { numRuns: 300, endOnFailure: true },
      )
    })
  }

  it('names a victim exactly as the bank does, and an anonymous speaker by role only', () => {
    const nur = bank.quotes.find((q) => q.id === 'nur-rohingya-victim')
    if (!nur) throw new Error('sample quote missing')
    for (const platform of ['x', 'bluesky'] as const) {
      const t = compose(nur, platform)
      expect(
        t.parts[0]?.text.startsWith(
          'Nur, a Rohingya victim, Asia Justice and Rights, on Bangladesh/Myanmar:',
        ),
      ).toBe(true)
      const anon = compose(
        { ...nur, speaker: { name: 'Nur', role: 'a Rohingya victim', victim: true, anonymous: true } },
        platform,
      )
      const all = anon.parts.map((p) => p.text).join('\n')
      expect(all).toContain('A Rohingya victim')
      expect(all).not.toMatch(/\bNur\b/)
    }
  })

  it('tags the organisation with its handle on each platform, and gives Bluesky link and tag facets', () => {
    const q = quoteWith('The Court must be heard. It is time.')
    const x = compose(q, 'x')
    expect(x.parts[0]?.text).toContain('Asia Justice and Rights (@ajar_x)')
    expect(x.parts.at(-1)?.text).toContain('AJAR (@ajar_x)')
    const bs = compose(q, 'bluesky')
    expect(bs.parts[0]?.text).toContain('Asia Justice and Rights (@ajar.bsky.social)')
    const features = bs.parts.flatMap((p) => p.facets ?? []).flatMap((f) => f.features)
    expect(features).toContainEqual({
      $type: 'app.bsky.richtext.facet#link',
      uri: bank.campaign.statement_url,
    })
    expect(features).toContainEqual({ $type: 'app.bsky.richtext.facet#tag', tag: 'NGOVoices' })
    // Bluesky posts carry the quote's language; X has no such field.
    expect(bs.parts.map((p) => p.langs)).toEqual(bs.parts.map(() => [q.language]))
    expect(x.parts.every((p) => p.langs === undefined)).toBe(true)
    const noHandle = compose(quoteWith('Words.', { organisation: { name: 'Test NGO', handles: {} } }), 'x')
    expect(noHandle.parts.map((p) => p.text).join('')).not.toContain('@')
  })

  it('gives no two posts of the sample bank the same text on X (X refuses a repeat as duplicate content)', () => {
    const texts = bank.quotes.flatMap((q) => compose(q, 'x').parts.map((p) => p.text))
    expect(new Set(texts).size).toBe(texts.length)
  })

  it('is pure: composing again (as a retry does) gives the same parts', () => {
    for (const q of bank.quotes)
      for (const platform of ['x', 'bluesky'] as const)
        expect(compose(q, platform)).toEqual(compose(q, platform))
  })

  it('refuses, with the reason, a quote whose first post cannot fit whatever is cut', () => {
    const long = quoteWith('Words.', { organisation: { name: 'N'.repeat(300), handles: {} } })
    expect(() => compose(long, 'x')).toThrow(
      /x: the first post \(speaker, organisation, situation and hashtags\) does not fit/,
    )
  })

  it('carries the card alt text the cards module writes', () => {
    const q = bank.quotes[0]
    if (!q) throw new Error('empty bank')
    const alt = cardAlt(q, bank.campaign)
    const t = composeThread({
      quote: q,
      campaign: bank.campaign,
      platform: 'x',
      day: 'd',
      threadId: 't',
      card: card(alt),
    })
    expect(t.parts[0]?.image?.alt).toBe(alt)
  })
})

describe('quotation marks', () => {
  it('follow the quote’s language: “ ” by default, « » in French and Arabic, „ “ in German', () => {
    const cases = [
      ['en', 'Justice for all.', '“Justice for all.”'],
      ['fr', 'La justice pour tous.', '«\u202fLa justice pour tous.\u202f»'],
      ['ar', 'العدالة في لاهاي.', '«العدالة في لاهاي.»'],
      ['de', 'Gerechtigkeit für alle.', '„Gerechtigkeit für alle.“'],
    ] as const
    for (const [language, text, shown] of cases) {
      // A one-sentence quote is quoted whole in the hook.
      const t = compose(quoteWith(text, { language }), 'bluesky')
      expect(t.parts[0]?.text).toContain(`\n\n${shown}\n\n`)
    }
  })

  it('are not added again around a quote that opens with its own; the hook quotes its first sentence as typed', () => {
    const text =
      '« La Cour doit disposer des moyens de ses ambitions. » Nous appelons les États à agir dès maintenant.'
    const q = quoteWith(text, { language: 'fr' })
    for (const platform of ['x', 'bluesky'] as const) {
      const t = compose(q, platform)
      const all = t.parts.map((p) => p.text).join('\n')
      expect(all).not.toMatch(/«[\s\u202f]*«/)
      expect(t.parts[0]?.text).toContain('\n\n« La Cour doit disposer des moyens de ses ambitions. »\n\n')
      expect(t.parts[1]?.text.startsWith('Nous appelons les États à agir dès maintenant.')).toBe(true)
    }
    expect(cardAlt(q, bank.campaign).startsWith(`Carte citation\u202f: ${text} — `)).toBe(true)
  })

  it('typed with plain spaces (« Justice », vraiment ?) stay with their words when a quote is split', () => {
    // A split right after "enfants." once began the next post with the lone » (seen in a dry run).
    const statement =
      '« La Cour pénale internationale doit disposer des moyens de ses ambitions. Les victimes attendent depuis trop longtemps : leur sœur, leur frère, leurs enfants. » Nous appelons les États à agir dès maintenant, sans délai, et à soutenir pleinement le Bureau du Procureur dans toutes les situations.'
    const x = compose(quoteWith(statement, { language: 'fr' }), 'x').parts.map((p) => p.text)
    expect(x.length).toBeGreaterThan(2)
    expect(x.some((t) => /leurs enfants\. »/.test(t))).toBe(true)
    const sentence = 'Les victimes attendent « justice » depuis vingt ans : combien de temps encore ? '
    const q = quoteWith(sentence.repeat(8).trim(), { language: 'fr' })
    for (const platform of ['x', 'bluesky'] as const) {
      const body = compose(q, platform).parts.slice(1)
      expect(body.length).toBeGreaterThan(1)
      for (const p of body) {
        expect(p.text).not.toMatch(/^[»:?!;]/)
        expect(p.text).not.toMatch(/«\s*$/m)
      }
    }
  })

  it('an Arabic speaker and role are joined with the Arabic comma in the hook, the credit and the alt text', () => {
    const q = quoteWith(
      'يجب أن تستمع المحكمة إلى أصوات الضحايا في لاهاي، وأن تضمن العدالة للجميع دون انتقائية. لقد انتظر الضحايا طويلاً.',
      {
        language: 'ar',
        speaker: { name: 'ديانا الزير', role: 'رئيسة التواصل' },
        organisation: { name: 'مؤسسة الحق', short: 'Al-Haq', handles: { x: '@alhaq_org' } },
        situation: 'Palestine',
      },
    )
    const t = compose(q, 'x').parts.map((p) => p.text)
    expect(t[0]?.startsWith('ديانا الزير، رئيسة التواصل، مؤسسة الحق (@alhaq_org)، بشأن Palestine:')).toBe(
      true,
    )
    expect(t.at(-1)).toContain('— ديانا الزير، Al-Haq (@alhaq_org)')
    expect(cardAlt(q, bank.campaign)).toContain(
      '» — ديانا الزير، رئيسة التواصل، مؤسسة الحق. الحالة: Palestine.',
    )
    expect(t.join('\n')).not.toMatch(/[\u0600-\u06ff],/)
  })
})
