import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { importStatement } from '../../src/quotes/import.ts'
import { quoteSchema } from '../../src/quotes/schema.ts'

const load = async (file: string) => importStatement(await readFile(file, 'utf8'), { file })

describe('import: the ASP21 statement', () => {
  it('finds the five quoted passages with their attributions, field by field', async () => {
    const { quotes } = await load('fixtures/asp21/press-release.txt')
    expect(quotes.map((q) => q.id)).toEqual([
      'ajar-myanmar-icc-must-prioritise',
      'ajar-nur-crucial-icc-hear',
      'ajar-philippines-icc-must-resume',
      'al-haq-diana-alzeer-while-welcomed-icc',
      'afc-icc-lambert-nigarura-if-icc-had',
    ])
    const [myanmar, nur, philippines, alhaq, burundi] = quotes
    const ajar = { name: 'Asia Justice and Rights', short: 'AJAR' }
    const source = { title: '#NGOVoices at the 21st session of the Assembly of States Parties of the ICC' }

    expect(myanmar?.text).toMatch(
      /^The ICC must prioritise the ongoing Bangladesh\/Myanmar investigation .* crimes committed\.$/,
    )
    expect(myanmar?.organisation).toEqual(ajar)
    expect(myanmar?.situation).toBe('Myanmar')
    expect(myanmar?.speaker).toBeUndefined()
    expect(myanmar?.incomplete).toBeUndefined()

    expect(nur?.text).toMatch(
      /^It is crucial for the ICC to hear the voices of the victims, .* our dire situation\.$/,
    )
    expect(nur?.speaker).toEqual({ name: 'Nur', role: 'a Rohingya victim', victim: true })
    expect(nur?.organisation).toEqual(ajar)
    expect(nur?.situation).toBe('Myanmar')

    expect(philippines?.text).toMatch(
      /^The ICC must resume its investigation .* the Court’s accountability process\.$/,
    )
    expect(philippines?.organisation).toEqual(ajar)
    expect(philippines?.situation).toBe('Philippines')
    expect(philippines?.speaker).toBeUndefined()
    // 614 characters: too long for a card, so a draft excerpt of whole sentences, as an editor would cut it.
    expect(philippines?.excerpt).toBe(
      'The ICC must resume its investigation into the alleged crimes against humanity during the anti-drug operation in the Philippines. […] The ICC shall not allow itself to be swayed by the government’s claims and continue to proceed with the Court’s accountability process.',
    )

    // Opens with a straight mark, closes with a curly one.
    expect(alhaq?.text).toMatch(
      /^While we welcomed the ICC and states' concrete engagement .* are brought to justice\.$/,
    )
    expect(alhaq?.speaker).toEqual({ name: 'Diana Alzeer', role: 'Head of Outreach and Communications' })
    expect(alhaq?.organisation).toEqual({ name: 'Al-Haq' })
    expect(alhaq?.situation).toBe('Palestine')

    expect(burundi?.text).toMatch(/^If the ICC had the adequate resources .* court would be met$/)
    expect(burundi?.speaker).toEqual({
      name: 'Lambert Nigarura',
      role: 'President of the Burundi National Coalition for the ICC and Secretary General of the network of African Francophone coalitions',
    })
    expect(burundi?.organisation).toEqual({
      name: 'Burundi national Coalition for the ICC / African Francophone Coalitions for the ICC Network',
      short: 'AFC-ICC',
    })
    expect(burundi?.incomplete).toMatch(/ends without punctuation \("…would be met"\)/)

    for (const q of quotes) {
      expect(q.language).toBe('en')
      expect(q.source).toEqual(source)
      expect(q.consent).toEqual({
        status: 'pending',
        note: expect.stringContaining('Imported from fixtures/asp21/press-release.txt'),
      })
      expect(quoteSchema.safeParse(q).success).toBe(true)
    }
  })

  it('reports the last passage as not closed, at its line', async () => {
    const { reports } = await load('fixtures/asp21/press-release.txt')
    expect(reports.filter((r) => r.message.includes('not closed'))).toEqual([
      expect.objectContaining({
        file: 'fixtures/asp21/press-release.txt',
        line: 36,
        col: 1,
        message:
          'passage 5: quotation not closed: it ends "…would be met" with no closing punctuation (cut off?)',
        severity: 'warning',
      }),
    ])
    expect(reports.map((r) => [r.line, r.message.split(':')[0]])).toEqual([
      [26, 'passage 3'],
      [31, 'passage 4'],
      [36, 'passage 5'],
    ])
    expect(reports[0]?.message).toContain(
      'quotation is 614 characters, more than a card holds (400): a draft excerpt was written',
    )
  })

  it('a closing mark with letters glued after it is not a close (…would be met”none)', () => {
    const text =
      'Burundi Coalition (BCICC)\n\n“The expectations placed upon this unique international court would be met”none\n'
    const { quotes, reports } = importStatement(text, { file: 'glued.txt' })
    expect(quotes).toHaveLength(1)
    expect(quotes[0]?.text).toBe('The expectations placed upon this unique international court would be met')
    expect(quotes[0]?.incomplete).toMatch(/stray text \("none"\)/)
    expect(reports[0]?.message).toBe(
      'passage 1: quotation not closed: stray text "none" straight after the closing mark (cut off?)',
    )
  })

  it('a quotation over several paragraphs (only the last one closes) is one quote', () => {
    const text = [
      'Women’s Initiatives for Gender Justice (WIGJ)',
      '',
      'Ana Lima, Legal Adviser:',
      '“Survivors of sexual violence have told the Court what happened to them, at great risk to themselves.',
      '',
      '“The Court owes them more than a verdict: it owes them reparations that reach them in their lifetime.”',
      '',
      '“A second quote from the same adviser is its own passage, closed as it should be.”',
    ].join('\n')
    const { quotes, reports } = importStatement(text, { file: 'wigj.txt' })
    expect(quotes.map((q) => q.text)).toEqual([
      'Survivors of sexual violence have told the Court what happened to them, at great risk to themselves. The Court owes them more than a verdict: it owes them reparations that reach them in their lifetime.',
      'A second quote from the same adviser is its own passage, closed as it should be.',
    ])
    expect(quotes.map((q) => q.speaker?.name)).toEqual(['Ana Lima', 'Ana Lima'])
    expect(quotes[0]?.organisation).toEqual({ name: 'Women’s Initiatives for Gender Justice', short: 'WIGJ' })
    expect(quotes[0]?.incomplete).toBeUndefined()
    expect(reports).toEqual([])
  })

  it('gives the same ids for the same statement (stable slugs)', async () => {
    const a = await load('fixtures/asp21/press-release.txt')
    const b = await load('fixtures/asp21/press-release.txt')
    expect(a.quotes.map((q) => q.id)).toEqual(b.quotes.map((q) => q.id))
  })
})

describe('import: statements of other shapes', () => {
  it('a news story: said-attributions, a quote split by "said", short phrases left as prose, an orphan reported', async () => {
    const { quotes, reports } = await load('fixtures/import/news-story.txt')
    expect(
      quotes.map((q) => [q.text.slice(0, 30), q.speaker?.name, q.speaker?.role, q.organisation.name]),
    ).toEqual([
      ['The Court cannot deliver justi', 'Maria Pérez', 'director', 'Latin American Justice Network'],
      ['States that praise the Court i', 'Maria Pérez', 'director', 'Latin American Justice Network'],
      ['Victims in Darfur have waited ', 'Ahmad Yusuf', 'a lawyer', 'Sudan Justice Collective'],
      ['We were told to be patient, bu', 'Amina Haroun', 'a survivor from West Darfur', 'UNATTRIBUTED'],
      ['We will keep coming back to Th', undefined, undefined, 'UNATTRIBUTED'],
    ])
    // The comma before "said" becomes the sentence's end; the split quote is one passage.
    expect(quotes[0]?.text).toBe('The Court cannot deliver justice on a shoestring budget.')
    expect(quotes[3]?.text).toBe('We were told to be patient, but patience does not bring back our families.')
    expect(quotes[3]?.speaker?.victim).toBe(true)
    expect(quotes.some((q) => q.text.includes('a test of credibility'))).toBe(false)
    expect(reports.map((r) => [r.line, r.message])).toEqual([
      [9, 'passage 4: no organisation found'],
      [13, 'passage 5: no speaker or organisation found'],
    ])
    expect(quotes[4]?.incomplete).toBe('no speaker or organisation found: attribute it')
  })

  it('a quote sheet: "Org (Country)" headings, "— Name, Role" lines, an anonymous survivor, broken closes', async () => {
    const { quotes, reports } = await load('fixtures/import/quote-sheet.txt')
    expect(quotes).toHaveLength(4)
    expect(quotes[0]).toMatchObject({
      speaker: { name: 'Jane Wanjiru', role: 'Programme Officer' },
      organisation: { name: 'Human Rights Forum Kenya', short: 'HRFK' },
      situation: 'Kenya',
    })
    expect(quotes[1]?.speaker).toEqual({
      role: 'A survivor of the post-election violence, who asked not to be named',
      victim: true,
      anonymous: true,
    })
    expect(quotes[1]?.id).not.toMatch(/survivor/)
    expect(quotes[2]).toMatchObject({
      text: 'Documentation alone is not justice. States must arrest the people the Court has charged',
      speaker: { name: 'Roman Avramenko', role: 'Executive Director' },
      organisation: { name: 'Truth Hounds' },
      situation: 'Ukraine',
    })
    expect(quotes[3]?.text).toBe(
      'Every week without cooperation is another week of impunity for the crimes we document every day',
    )
    expect(quotes[3]?.incomplete).toMatch(/not closed/)
    expect(reports.map((r) => [r.line, r.message])).toEqual([
      [13, 'passage 3: quotation not closed: stray text "none" straight after the closing mark (cut off?)'],
      [16, 'passage 4: quotation not closed: no closing mark before the paragraph ends'],
    ])
  })

  it('a French communiqué: « guillemets », "a déclaré", the language guessed', async () => {
    const { quotes } = await load('fixtures/import/communique-fr.txt')
    expect(quotes.map((q) => q.language)).toEqual(['fr', 'fr'])
    expect(quotes[0]).toMatchObject({
      text: 'La Cour a besoin de ressources suffisantes pour rendre justice aux victimes dans toutes les situations.',
      speaker: { name: 'Claire Dubois', role: 'présidente' },
      organisation: { name: 'Coalition française pour la CPI' },
    })
    // A victims' lawyer is not a victim.
    expect(quotes[1]?.speaker).toEqual({ name: 'Moussa Diallo', role: 'avocat des victimes' })
    expect(quotes[1]?.incomplete).toBe('no organisation found: attribute it')
  })

  it('a French statement: "Org (SHORT) sur la situation en …" headings, "Nom, Rôle :" lines, "la citation suivante de …"', async () => {
    const { quotes } = await load('fixtures/import/communique-fr-situation.txt')
    const fidh = { name: 'Fédération internationale pour les droits humains', short: 'FIDH' }
    expect(quotes.map((q) => q.language)).toEqual(['fr', 'fr'])
    expect(quotes[0]).toMatchObject({
      text: 'La Cour pénale internationale doit disposer des moyens de ses ambitions. Les victimes attendent depuis trop longtemps.',
      speaker: { name: 'Marie Dupont', role: 'Directrice' },
      organisation: fidh,
      situation: 'RDC',
    })
    expect(quotes[1]).toMatchObject({
      text: 'Nous voulons la justice, pas des promesses.',
      speaker: { name: 'Jean', role: 'une victime', victim: true },
      organisation: fidh,
      situation: 'RDC',
    })
  })

  it('a short quotation on a line of its own is a quote; a speaker carried down past unknown words is reported', async () => {
    const { quotes, reports } = await load('fixtures/import/short-quotes-fr.txt')
    expect(quotes.map((q) => q.text)).toEqual([
      'La Cour doit agir.',
      'Nous voulons la justice, pas des promesses.',
    ])
    expect(quotes[0]?.speaker).toEqual({ name: 'Marie Dupont', role: 'Directrice' })
    // "Plus tard, Jean a pris la parole :" matches no pattern: the speaker above is kept as a guess, and said.
    expect(reports).toEqual([
      expect.objectContaining({
        line: 6,
        message:
          'passage 2: the words before it ("Plus tard, Jean a pris la parole :") name no speaker ngovoices recognises; Marie Dupont (named above) is a guess',
        severity: 'warning',
      }),
    ])
  })
})
