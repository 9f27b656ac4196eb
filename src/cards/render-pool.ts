import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { type RenderJob, type RenderJobResult, runRenderJob } from './render-job.ts'

// @NOTE Rendering is CPU-bound (satori layout, resvg, zlib), so a bank is spread over worker threads, one per core.
// With one thread it runs in-process, which is also what the one-core benchmark measures.

export interface PoolOptions {
  threads?: number
  onResult?: (r: RenderJobResult, done: number, total: number) => void
}

export async function renderAll(jobs: RenderJob[], opts: PoolOptions = {}): Promise<RenderJobResult[]> {
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), jobs.length))
  const results: RenderJobResult[] = []
  const report = (r: RenderJobResult) => {
    results.push(r)
    opts.onResult?.(r, results.length, jobs.length)
  }
  if (threads === 1) {
    for (const job of jobs) report(await runRenderJob(job))
    return results
  }
  let next = 0
  const workers: Worker[] = []
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const worker = new Worker(new URL('./render-worker.mjs', import.meta.url))
        workers.push(worker)
        return new Promise<void>((resolve, reject) => {
          const feed = () => {
            const job = jobs[next++]
            if (job) worker.postMessage(job)
            else resolve()
          }
          worker.on('message', (msg: RenderJobResult | { ready: true }) => {
            if (!('ready' in msg)) report(msg)
            feed()
          })
          worker.once('error', reject)
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`render worker exited with code ${code}`))
          })
        })
      }),
    )
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return results
}
