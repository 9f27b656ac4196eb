// @NOTE Only for the TypeScript sources (tests, the bench): a worker thread does not inherit its parent's tsx
// loader, so it registers tsx before loading its body. The build (what `ngovoices` runs) starts pool-thread.js
// directly and never loads tsx.
import { register } from 'tsx/esm/api'

register()
await import('./pool-thread.ts')
