import { parentPort } from 'node:worker_threads'
import sharp from 'sharp'
import { type RenderJob, runRenderJob } from './render-job.ts'

// @NOTE One card at a time per thread: the pool already uses every core, so libvips' own threads would only contend.
sharp.concurrency(1)

const port = parentPort
if (!port) throw new Error('render-worker.ts runs as a worker thread (see render-pool.ts)')
port.on('message', (job: RenderJob) => {
  void runRenderJob(job).then((result) => port.postMessage(result))
})
port.postMessage({ ready: true })
