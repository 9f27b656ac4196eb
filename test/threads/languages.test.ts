import twitterText from 'twitter-text'
import { describe, expect, it } from 'vitest'
import { cardAlt, MAX_ALT_CHARS } from '../../src/cards/index.ts'
import { loadBank, validateBank } from '../../src/quotes/load.ts'
import type { Quote } from '../../src/quotes/schema.ts'
import { composeThread } from '../../src/threads/compose.ts'
import { countPost, POST_LIMITS } from '../../src/threads/count.ts'
import type { ComposedThread } from '../../src/threads/types.ts'

// Issue 13: a bank in Arabic, French, Spanish and English with hashtags in three scripts (fixtures/languages).

const DIR = 'fixtures/languages'
const bank = await loadBank(DIR)
const TAGS = ['NGOVoices', 'العدالة_الدولية', 'CPIÉquité']

function compose(quote: Quote, platform: 'x' | 'bluesky'): ComposedThread {
  return composeThread({
    quote,
    campaign: bank.campaign,
    platform,
    day: '2026-03-27',
    threadId: `t-${quote.id}`,
    card: { data: new Uint8Array([1]), mime: 'image/png', width: 1600, height: 900, alt: 'card' },
  })
}

const quote = (id: string): Quote => {
  const q = bank.quotes.find((x) => x.id === id)
  if (!q) throw new Error(`no quote ${id} in ${DIR}`)
  return q
}
const threads = bank.quotes.flatMap((q) => (['x', 'bluesky'] as const).map((p) => compose(q, p)))
/** A post's text without its "n/m" number. */
const body = (text: string) => text.replace(/\n\d+\/\d+$/u, '')
const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? []

/** The first run of `n` words that `b` repeats from `a`, if any. */
function sharedRun(a: string, b: string, n = 8): string | undefined {
  const wa = words(a)
  const runs = new Set(
    wa.slice(0, Math.max(0, wa.length - n + 1)).map((_, i) => wa.slice(i, i + n).join(' ')),
  )
  const wb = words(b)
  for (let i = 0; i + n <= wb.length; i++) {
    const run = wb.slice(i, i + n).join(' ')
    if (runs.has(run)) return run
  }
  return undefined
}

describe('a bank in Arabic, French, Spanish and English with Unicode hashtags', () => {
  it('passes validate', async () => {
    const checked = await validateBank(DIR)
    expect(checked.problems.filter((p) => p.severity === 'error')).toEqual([])
    expect(bank.campaign.hashtags).toEqual(TAGS.map((t) => `#${t}`))
    expect(new Set(bank.quotes.map((q) => q.language))).toEqual(new Set(['ar', 'fr', 'es', 'en']))
  })

  it('gives Arabic posts Arabic connecting words and punctuation: no Latin comma, no English word added', () => {
    const arabic = threads.filter((t) => quote(t.quoteId).language === 'ar')
    expect(arabic.length).toBe(4)
    for (const t of arabic)
      for (const p of t.parts) {
        expect(p.text).not.toContain(',')
        expect(p.text).not.toMatch(/\b(on|Read|Quote|card|Situation|the)\b/u)
        expect(p.text).not.toMatch(/[“”]/u)
      }
    const [hook] = compose(quote('haq-palestine-ar'), 'x').parts
    expect(
      hook?.text.startsWith('ديانا الزير، رئيسة التواصل، مؤسسة الحق (@alhaq_org)، بشأن فلسطين:\n\n«'),
    ).toBe(true)
    expect(compose(quote('haq-palestine-ar'), 'x').parts.at(-1)?.text).toContain('اقرأوا توصيات التحالف\n')
    // French and Spanish: their own words and call to action (the campaign's for French, built in for Spanish).
    expect(compose(quote('fidh-budget-fr'), 'x').parts[0]?.text).toMatch(
      /^Élise Martin, FIDH \(@fidh_fr\), dossier Burundi\u202f:\n\n«\u202fLa Cour/u,
    )
    expect(compose(quote('fidh-budget-fr'), 'x').parts.at(-1)?.text).toContain(
      'Lisez la déclaration de la coalition\n',
    )
    expect(compose(quote('colombia-es'), 'bluesky').parts[0]?.text).toMatch(
      /, sobre Colombia:\n\n«Las víctimas/u,
    )
    expect(compose(quote('colombia-es'), 'bluesky').parts.at(-1)?.text).toContain(
      'Lea las recomendaciones de la Coalición\n',
    )
    expect(compose(quote('cicc-cooperation-en'), 'x').parts.at(-1)?.text).toContain(
      "Read the coalition's statement\n",
    )
  })

  it('counts every post within its platform’s limit, and X and Bluesky both find the Unicode hashtags', () => {
    for (const t of threads) {
      const [hook] = t.parts
      if (!hook) throw new Error('empty thread')
      for (const p of t.parts)
        expect(countPost(t.platform, p.text)).toBeLessThanOrEqual(POST_LIMITS[t.platform])
      if (t.platform === 'x') expect(twitterText.parseTweet(hook.text).valid).toBe(true)
      // X links what twitter-text extracts; Bluesky what the facets cover, at byte offsets into the UTF-8 text.
      expect(twitterText.extractHashtags(hook.text)).toEqual(TAGS)
      if (t.platform === 'bluesky') {
        const bytes = new TextEncoder().encode(hook.text)
        const tagged = (hook.facets ?? []).flatMap((f) =>
          f.features.flatMap((x) =>
            x.$type === 'app.bsky.richtext.facet#tag'
              ? [
                  {
                    tag: x.tag,
                    covers: new TextDecoder().decode(bytes.slice(f.index.byteStart, f.index.byteEnd)),
                  },
                ]
              : [],
          ),
        )
        expect(tagged).toEqual(TAGS.map((tag) => ({ tag, covers: `#${tag}` })))
      }
    }
  })

  it('never ends a hook mid-sentence with "…", and no two consecutive posts share a run of eight words', () => {
    for (const t of threads) {
      const texts = t.parts.map((p) => body(p.text))
      expect(texts[0]).not.toMatch(/…\s*[»”"]?\s*\n/u)
      for (let i = 1; i < texts.length; i++) {
        const run = sharedRun(texts[i - 1] ?? '', texts[i] ?? '')
        if (run) throw new Error(`${t.quoteId} (${t.platform}) posts ${i} and ${i + 1} share "${run}"`)
      }
    }
  })
})

describe('a two-paragraph quote', () => {
  it('keeps its paragraph break in every platform’s posts, and a post ends at it when the paragraph fits', () => {
    const q = quote('cicc-cooperation-en')
    const [first, second] = q.text.split('\n')
    if (!first || !second) throw new Error('the fixture quote has two paragraphs')
    for (const platform of ['x', 'bluesky'] as const) {
      const texts = compose(q, platform).parts.map((p) => body(p.text))
      // The first paragraph ends a post; the second starts the next one.
      const ends = texts.findIndex((t) => t.endsWith(first.slice(-40)))
      expect(ends).toBeGreaterThan(-1)
      expect(texts[ends + 1]?.startsWith(second.slice(0, 40))).toBe(true)
    }
    // Two paragraphs that fit one post stay in it, a blank line apart.
    const ar = quote('victims-ar-two-paragraphs')
    const [p1, p2] = ar.text.split('\n\n')
    for (const platform of ['x', 'bluesky'] as const) {
      const all = compose(ar, platform).parts.map((p) => p.text)
      expect(all.some((t) => t.includes(`${p1?.slice(-30)}\n\n${p2?.slice(0, 30)}`))).toBe(true)
    }
  })
})

describe('the alt text of an excerpted card', () => {
  it('is the excerpt’s sentences, who said it and the hashtags, within the platforms’ limits', () => {
    const q = quote('fidh-budget-fr')
    const alt = cardAlt(q, bank.campaign)
    expect(alt).toBe(
      `Carte citation\u202f: «\u202f${q.excerpt}\u202f» — Élise Martin, chargée de plaidoyer, Fédération internationale pour les droits humains. Situation\u202f: Burundi. #NGOVoices #العدالة_الدولية #CPIÉquité`,
    )
    expect([...alt].length).toBeLessThanOrEqual(MAX_ALT_CHARS)
    expect(alt).not.toContain('sans conditions politiques')
  })
})
