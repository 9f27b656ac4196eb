import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Campaign } from '../campaign/schema.ts'
import type { Quote } from '../quotes/schema.ts'
import { type CardFormat, renderCard } from './index.ts'

// @NOTE One unit of `ngovoices render`: draw (or read from cache) one card and write it with its alt text beside it.
// The same function runs in a worker thread or in-process, so both paths behave alike.

export interface RenderJob {
  quote: Quote
  campaign: Campaign
  format: CardFormat
  outDir: string
  cacheDir?: string
}

export type RenderJobResult =
  | {
      ok: true
      quoteId: string
      format: CardFormat
      file: string
      bytes: number
      cached: boolean
      ms: number
    }
  | { ok: false; quoteId: string; format: CardFormat; error: string; ms: number }

export async function runRenderJob(job: RenderJob): Promise<RenderJobResult> {
  const started = performance.now()
  const base = { quoteId: job.quote.id, format: job.format }
  try {
    const card = await renderCard(
      job.quote,
      job.campaign,
      job.format,
      job.cacheDir ? { cacheDir: job.cacheDir } : {},
    )
    await mkdir(job.outDir, { recursive: true })
    const ext = card.mime === 'image/png' ? 'png' : 'jpg'
    const file = join(job.outDir, `${job.quote.id}.${job.format}.${ext}`)
    await writeFile(file, card.data)
    await writeFile(join(job.outDir, `${job.quote.id}.${job.format}.alt.txt`), `${card.alt}\n`)
    return {
      ...base,
      ok: true,
      file,
      bytes: card.data.length,
      cached: card.cached,
      ms: performance.now() - started,
    }
  } catch (err) {
    // A bad quote fails alone: the message goes in the summary and the other cards go on.
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    return { ...base, ok: false, error, ms: performance.now() - started }
  }
}
