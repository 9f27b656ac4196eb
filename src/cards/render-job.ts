import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CardFormat } from './index.ts'
import { type CardRequest, CORES, cardPool } from './render-pool.ts'

// @NOTE `ngovoices render`: every card drawn by the process's card pool (grown to one thread per core), each
// written with its alt text beside it. A card that cannot be drawn fails alone; the others go on.

export interface RenderJob extends CardRequest {
  outDir: string
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

export interface RenderAllOptions {
  /** Pool threads to use (default one per core). */
  threads?: number
  onResult?: (r: RenderJobResult, done: number, total: number) => void
}

async function runRenderJob(job: RenderJob): Promise<RenderJobResult> {
  const started = performance.now()
  const base = { quoteId: job.quote.id, format: job.format }
  try {
    const { outDir: _out, ...request } = job
    const card = await cardPool().render(request)
    const ext = card.mime === 'image/png' ? 'png' : 'jpg'
    const file = join(job.outDir, `${job.quote.id}.${job.format}.${ext}`)
    await mkdir(job.outDir, { recursive: true })
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
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    return { ...base, ok: false, error, ms: performance.now() - started }
  }
}

export async function renderAll(jobs: RenderJob[], opts: RenderAllOptions = {}): Promise<RenderJobResult[]> {
  cardPool(Math.max(1, Math.min(opts.threads ?? CORES, jobs.length)))
  const results: RenderJobResult[] = []
  await Promise.all(
    jobs.map(async (job) => {
      const r = await runRenderJob(job)
      results.push(r)
      opts.onResult?.(r, results.length, jobs.length)
    }),
  )
  return results
}
