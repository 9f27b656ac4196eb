import { Redis } from 'ioredis'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import { liveClock } from '../../queues/clock.ts'
import { openQueues } from '../../queues/queues.ts'
import { startWorkers } from '../../queues/worker.ts'
import {
  type Fault,
  journalPublisher,
  planHolder,
  planOf,
  publishDepsWith,
  REDIS_URL,
  silent,
} from './helpers.ts'

// A worker in its own process, so a test can SIGKILL it mid-thread. Args: prefix, journal, fault on call N.
const [prefix = '', journal = '', faultAt = '0', fault = 'hang'] = process.argv.slice(2)
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null })
const q = openQueues(redis, prefix)
startWorkers({
  q,
  // The folder comes from the namespace's sync record, as for a worker started without one.
  folders: campaignFolders(q, []),
  deps: publishDepsWith(journalPublisher(journal, { faults: new Map([[Number(faultAt), fault as Fault]]) })),
  planDeps: planHolder(planOf([])),
  clock: liveClock,
  graceMs: 30 * 60_000,
  log: silent,
  cards: false,
  platforms: ['x'],
  timings: { lockDuration: 1000, stalledInterval: 500 },
})
process.stdout.write('ready\n')
