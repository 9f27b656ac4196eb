import { defineCommand } from 'citty'
import { readConfig } from '../config.ts'
import { inputError } from '../core/problem.ts'
import { bankDirArg } from './args.ts'
import { withSession } from './context.ts'
import { postThreads, prepareThreads, printDryRun, type Target } from './post-thread.ts'

const TARGETS = ['x', 'bluesky', 'outbox'] as const

function isTarget(s: string): s is Target {
  return (TARGETS as readonly string[]).includes(s)
}

export default defineCommand({
  meta: {
    name: 'post',
    description:
      'Post one quote’s thread now (card, full quote, call to action); --dry-run shows the posts and their counts',
  },
  args: {
    quote: { type: 'positional', required: true, description: 'quote id' },
    dir: bankDirArg,
    platform: {
      type: 'string',
      default: 'outbox',
      description:
        'x, bluesky, or outbox (writes the thread for every platform to NGOVOICES_OUTBOX_DIR; no account needed)',
    },
    'dry-run': {
      type: 'boolean',
      default: false,
      description: 'print the posts with their counts; post nothing',
    },
  },
  async run({ args }) {
    if (!isTarget(args.platform))
      throw inputError(
        'arguments',
        `--platform ${args.platform} is not a publisher`,
        `use ${TARGETS.join(', ')}`,
      )
    const opts = {
      quoteId: args.quote,
      dir: args.dir,
      target: args.platform,
      dryRun: args['dry-run'],
      config: readConfig(),
      out: (line: string) => process.stdout.write(`${line}\n`),
      err: (line: string) => process.stderr.write(`${line}\n`),
    }
    const threads = await prepareThreads(opts)
    if (opts.dryRun) return printDryRun(opts, threads)
    // The checkpoint lives in Redis, as the worker's does: a thread cut short here resumes on the next post.
    return withSession((s) => postThreads({ ...opts, q: s.q }, threads))
  },
})
