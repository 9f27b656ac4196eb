import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import type { QuoteInput } from '../src/quotes/schema.ts'

// Banks of any size, made from the sample bank's quotes so that text lengths, scripts and attributions are
// those of real quotes. Written as YAML, as staff would write them, beside a copy of the sample's campaign.

export interface GeneratedBank {
  /** Quotes in it. */
  n: number
  dir: string
  /** Size of quotes.yaml. */
  bytes: number
}

/** The sample's quotes, each made postable at any time: consent granted, no embargo, pin or "incomplete" mark. */
async function postableSamples(sampleDir: string): Promise<QuoteInput[]> {
  const quotes = parse(await readFile(join(sampleDir, 'quotes.yaml'), 'utf8')) as QuoteInput[]
  if (!Array.isArray(quotes) || quotes.length === 0) throw new Error(`no quotes in ${sampleDir}/quotes.yaml`)
  return quotes.map(({ embargo_until: _embargo, pin: _pin, incomplete: _incomplete, ...q }) => ({
    ...q,
    // A note keeps victims' quotes free of the "no note of who gave consent" warning.
    consent: { status: 'granted', note: q.consent.note ?? 'bench: generated' },
  }))
}

function variant(samples: QuoteInput[], i: number): QuoteInput {
  const base = samples[i % samples.length]
  if (!base) throw new Error('no sample quotes')
  // Ids unique and slug-shaped; priorities spread so the planner has choices to make.
  return { ...base, id: `${base.id}-${i}`, priority: (i % 5) + 1 }
}

export async function writeBank(sampleDir: string, n: number, dir: string): Promise<GeneratedBank> {
  const samples = await postableSamples(sampleDir)
  const quotes = Array.from({ length: n }, (_, i) => variant(samples, i))
  await mkdir(dir, { recursive: true })
  await copyFile(join(sampleDir, 'campaign.yaml'), join(dir, 'campaign.yaml'))
  const file = join(dir, 'quotes.yaml')
  // Without anchors: each quote stands written out in full, as in a bank typed or imported entry by entry.
  await writeFile(file, stringify(quotes, { aliasDuplicateObjects: false }))
  return { n, dir, bytes: (await stat(file)).size }
}
