import type { Config } from '../config.ts'
import type { Publisher } from './publisher.ts'

// @TODO (publishers issue) implement; the queue worker and `ngovoices post` call this.
export async function createPublisher(
  _name: 'x' | 'bluesky' | 'outbox',
  _config: Config,
): Promise<Publisher> {
  throw new Error('createPublisher: not implemented yet')
}
