import { cp } from 'node:fs/promises'
import { basename } from 'node:path'

/**
 * Copies a fixture bank for a test to edit. Leaves out plan.yaml: following the README (`ngovoices plan
 * fixtures/asp21`) writes one there, and a test must start from the bank alone, as it does in CI.
 */
export function copyFixtureBank(from: string, to: string): Promise<void> {
  return cp(from, to, { recursive: true, filter: (src) => basename(src) !== 'plan.yaml' })
}
