// @NOTE BullMQ's sandboxed processor entry, loaded in a worker thread: that thread has no TypeScript loader
// of its own, so it registers tsx before importing the real (TypeScript) job.
import { register } from 'tsx/esm/api'

register()
const { renderCardJob } = await import('./card-job.ts')

export default renderCardJob
