import { Redis } from 'ioredis'
import { pino } from 'pino'
import { campaignFolders } from '../../queues/campaign-folders.ts'
import { liveClock } from '../../queues/clock.ts'
import { publishDeps } from '../../queues/deps.ts'
import { openQueues } from '../../queues/queues.ts'
import { startWorkers } from '../../queues/worker.ts'
import { readConfig } from '../../src/config.ts'
import { PLATFORMS } from '../../src/quotes/schema.ts'
import { pngCard } from '../platforms/x-helpers.ts'
import { planHolder, planOf } from './helpers.ts'

// A worker process as production runs it: config from the environment (NGOVOICES_PUBLISHER=live,
// X_API_BASE_URL, BLUESKY_SERVICE, …) and the real publishers; only the card is a stand-in, to spare the CPU.
// Tests and the chaos run start several and SIGKILL them. WORKER_PLATFORMS=x,bluesky picks the queues.

const config = readConfig(process.env, '/nonexistent/.env')
const redis = new Redis(config.redisUrl ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null })
// A Redis restart is part of the chaos run: the client reconnects by itself, the error says nothing new.
redis.on('error', () => {})
const q = openQueues(redis, config.queuePrefix)
const card = await pngCard('A quote card: the words of the quote, the speaker and the organisation')
const platforms = (process.env.WORKER_PLATFORMS ?? PLATFORMS.join(','))
  .split(',')
  .filter((p): p is (typeof PLATFORMS)[number] => PLATFORMS.some((known) => known === p))
const log = pino({ level: config.logLevel }, pino.destination(2))
startWorkers({
  q,
  // Started without a folder, like `ngovoices worker`: the campaign's folder comes from the sync's record.
  folders: campaignFolders(q, []),
  deps: { ...publishDeps(config), card: async () => card },
  planDeps: planHolder(planOf([])),
  clock: liveClock,
  graceMs: 60 * 60_000,
  log,
  cards: false,
  platforms,
  // Short locks, so a killed worker's thread is taken over within a couple of seconds.
  timings: { lockDuration: 2000, stalledInterval: 1000 },
})
process.stdout.write('ready\n')
