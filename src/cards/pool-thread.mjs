// @NOTE The one loader stub: a worker thread does not inherit the parent's TypeScript loader, so when the
// sources run through tsx the thread registers it before loading its body.
import { register } from 'tsx/esm/api'

register()
await import('./pool-thread.ts')
