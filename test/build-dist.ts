import { ensureBuilt } from '../bin/dist.mjs'

// The integration tests run `ngovoices` as a person would, from the build in dist/ (bin/ngovoices.mjs): build it
// first when the sources changed since the last build, so they always test the sources as they are.
export default function setup(): void {
  ensureBuilt()
}
