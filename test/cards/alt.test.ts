import { describe, expect, it } from 'vitest'
import { cardAlt, MAX_ALT_CHARS, uncoveredCharacters } from '../../src/cards/index.ts'
import { cardContent, cardSvg } from '../../src/cards/svg.ts'
import { campaign, makeQuote } from './helpers.ts'

describe('alt text', () => {
  it('says what the card shows: the excerpt when there is one, with the speaker, organisation and situation', () => {
    const q = makeQuote({
      text: 'We are deeply concerned. It is imperative that perpetrators are brought to justice.',
      excerpt: 'We are deeply concerned. […]',
      speaker: { name: 'Diana Alzeer', role: 'Head of Outreach and Communications' },
      organisation: { name: 'Al-Haq' },
      situation: 'Palestine',
    })
    expect(cardAlt(q, campaign)).toBe(
      'Quote card: “We are deeply concerned. […]” — Diana Alzeer, Head of Outreach and Communications, Al-Haq. Situation: Palestine. #NGOVoices #ASP21',
    )
    expect(cardAlt(makeQuote({ text: q.text }), campaign)).toContain(
      'It is imperative that perpetrators are brought to justice.',
    )
  })

  it('puts each paragraph on one line, and speaks the quote’s language', () => {
    const q = makeQuote({
      text: 'La Cour doit agir.\nLes victimes   attendent.\n\nNous appelons les États à agir.',
      language: 'fr',
      situation: 'Palestine',
    })
    expect(cardAlt(q, campaign)).toBe(
      'Carte citation\u202f: «\u202fLa Cour doit agir.\nLes victimes attendent.\nNous appelons les États à agir.\u202f» — Asia Justice and Rights. Situation\u202f: Palestine. #NGOVoices #ASP21',
    )
    const ar = makeQuote({ text: 'العدالة للجميع.', language: 'ar', situation: 'فلسطين' })
    expect(cardAlt(ar, campaign)).toBe(
      'بطاقة اقتباس: «العدالة للجميع.» — Asia Justice and Rights. الحالة: فلسطين. #NGOVoices #ASP21',
    )
  })

  it('shows an anonymous speaker by role only, and a named victim as the source does', () => {
    const anon = makeQuote({
      speaker: { name: 'Nur', role: 'a Rohingya victim', victim: true, anonymous: true },
    })
    expect(cardAlt(anon, campaign)).toContain('A Rohingya victim')
    expect(cardAlt(anon, campaign)).not.toContain('Nur')
    const named = makeQuote({ speaker: { name: 'Nur', role: 'a Rohingya victim', victim: true } })
    expect(cardAlt(named, campaign)).toContain('Nur, a Rohingya victim')
  })

  it('stays within 1,000 characters by leaving out whole sentences of the quote, never the attribution', () => {
    const q = makeQuote({
      text: 'The Court must be given the resources to match its workload. '.repeat(40).trim(),
      speaker: { name: 'Lambert Nigarura', role: 'President of the Burundi National Coalition for the ICC' },
    })
    const alt = cardAlt(q, campaign)
    expect([...alt].length).toBeLessThanOrEqual(MAX_ALT_CHARS)
    // Whole sentences only, the rest marked as left out.
    expect(alt).toContain('workload. […]” — ')
    expect(alt).toContain(
      'Lambert Nigarura, President of the Burundi National Coalition for the ICC, Asia Justice and Rights',
    )
  })

  it('an alt_text in the quote bank wins', () => {
    const q = makeQuote({ alt_text: 'A card with words from AJAR about justice in Myanmar.' })
    expect(cardAlt(q, campaign)).toBe('A card with words from AJAR about justice in Myanmar.')
  })
})

describe('coverage', () => {
  it('finds no gap in French, Arabic, Burmese and emoji', () => {
    expect(uncoveredCharacters('« Élise, œuvre, ça » — l’été')).toEqual([])
    expect(uncoveredCharacters('في لاهاي')).toEqual([])
    expect(uncoveredCharacters('မြန်မာနိုင်ငံ')).toEqual([])
    expect(uncoveredCharacters('✊🏽 🇳🇱 👩‍⚖️')).toEqual([])
  })
  it('reports characters no card font draws, each once', () => {
    expect(uncoveredCharacters('Justice 正義 正義 정의')).toEqual(['正', '義', '정', '의'])
    expect(uncoveredCharacters('\u{10fffd}')).toEqual(['\u{10fffd}'])
  })
})

describe('what the card shows of the speaker', () => {
  it('an anonymous victim by role only: the name is nowhere on the card', async () => {
    const q = makeQuote({
      speaker: { name: 'Nur', role: 'a Rohingya victim', victim: true, anonymous: true },
    })
    const c = cardContent(q, campaign)
    expect(c.attribution).toEqual({ primary: 'A Rohingya victim', secondary: 'Asia Justice and Rights' })
    expect(JSON.stringify(c)).not.toContain('Nur')
    // satori draws text as paths, so check the laid-out text nodes too.
    const { nodes } = await cardSvg(q, campaign, 'square')
    expect(nodes.get('attr-text')).toBeDefined()
  })

  it('a named victim as the source shows them; a long role shrinks to fit its box, never clipped', async () => {
    expect(
      cardContent(makeQuote({ speaker: { name: 'Nur', role: 'a Rohingya victim', victim: true } }), campaign)
        .attribution.primary,
    ).toBe('Nur, a Rohingya victim')
    const long = makeQuote({
      speaker: {
        name: 'Lambert Nigarura',
        role: 'President of the Burundi National Coalition for the ICC and Secretary General of the network of African Francophone coalitions',
      },
      organisation: {
        name: 'Burundi National Coalition for the ICC / African Francophone Coalitions for the ICC Network',
      },
    })
    for (const format of ['landscape', 'square', 'portrait'] as const) {
      const { nodes, sizes } = await cardSvg(long, campaign, format)
      expect(sizes.attrScale).toBeLessThan(1)
      expect(nodes.get('attr-text')?.height ?? Infinity).toBeLessThanOrEqual(
        nodes.get('attr-box')?.height ?? 0,
      )
    }
  })
})
