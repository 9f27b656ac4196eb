import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { importStatement } from '../../src/quotes/import.ts'

// Issue 13: statements of other shapes than the sample (written for the tests): every name, role, organisation
// and year goes to its own field, and a year never becomes a situation or an organisation.

async function draft(name: string) {
  const file = `fixtures/import/${name}.txt`
  return importStatement(await readFile(file, 'utf8'), { file }).quotes.map((q) => ({
    name: q.speaker?.name,
    role: q.speaker?.role,
    organisation: q.organisation.name,
    situation: q.situation,
    date: q.source.date,
  }))
}

describe('import of statements of other shapes', () => {
  it('a testimonial page with years: "Name, former Secretary-General of X, 1998"', async () => {
    expect(await draft('testimonials-years')).toEqual([
      {
        name: 'Kofi Annan',
        role: 'former Secretary-General',
        organisation: 'United Nations',
        situation: undefined,
        date: '1998',
      },
      {
        name: 'Fatou Bensouda',
        role: 'Prosecutor',
        organisation: 'International Criminal Court',
        situation: undefined,
        date: '2012',
      },
      // No organisation named: left for a person to fill in (and reported); the country is the situation.
      {
        name: 'Jean-Pierre Kabila',
        role: 'witness',
        organisation: 'UNATTRIBUTED',
        situation: 'Democratic Republic of the Congo',
        date: '2009',
      },
    ])
  })

  it('a list of named victims under their organisation’s heading', async () => {
    expect(await draft('named-victims')).toEqual([
      {
        name: 'Nur Hasina',
        role: 'a Rohingya survivor from Maungdaw',
        organisation: 'Asia Justice and Rights',
        situation: undefined,
        date: '2019',
      },
      {
        name: 'Mohammed Salim',
        role: 'a Rohingya refugee in Cox’s Bazar'.replace('’', "'"),
        organisation: 'Asia Justice and Rights',
        situation: undefined,
        date: '2021',
      },
      {
        name: 'Rosa Tumbay',
        role: 'a survivor of the anti-drug campaign in the Philippines',
        organisation: 'Asia Justice and Rights',
        situation: undefined,
        date: '2022',
      },
    ])
  })

  it('a joint statement: each organisation from its speaker’s role ("director of", "at"), the date apart', async () => {
    expect(await draft('joint-statement')).toEqual([
      {
        name: 'Maria Pérez',
        role: 'director',
        organisation: 'Latin American Justice Network',
        situation: undefined,
        date: undefined,
      },
      {
        name: 'Elizabeth Evenson',
        role: 'International Justice Director',
        organisation: 'Human Rights Watch',
        situation: undefined,
        date: '2023-12-04',
      },
      {
        name: 'Alice Mogwe',
        role: 'présidente',
        organisation: 'Fédération internationale pour les droits humains',
        situation: undefined,
        date: undefined,
      },
    ])
  })

  it('attribution lines with no dash or colon, before or after the quote: a year is a date, never a situation', async () => {
    // The case: "Name, former Secretary-General of X, 2005" on its own line was read as a heading, the
    // person becoming the organisation and 2005 the situation.
    const quote = {
      name: 'Kofi Annan',
      role: 'former Secretary-General',
      organisation: 'United Nations',
      situation: undefined,
    }
    expect(await draft('attribution-lines')).toEqual([
      { ...quote, date: '1998' },
      { ...quote, date: '2005' },
    ])
  })
})
