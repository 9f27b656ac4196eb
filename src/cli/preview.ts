import { defineCommand } from 'citty'
import { readConfig } from '../config.ts'
import { inputError } from '../core/problem.ts'
import { createLogger } from '../logger.ts'
import { bankDirArg } from './args.ts'
import { runUntilStopped } from './context.ts'

function portArg(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw inputError(
      'arguments',
      `--port ${raw} is not a port`,
      'give a number from 1 to 65535, or 0 for any free port',
    )
  }
  return n
}

// Loaded when it runs, not at the top: `ngovoices preview --help` should not pay for hono, sharp and BullMQ.
// Declared outside `export default …`, where tsc leaves a dynamic import's `.ts` unrewritten (bin/build.mjs checks).
const previewServer = () => import('../preview/server.ts')

export default defineCommand({
  meta: {
    name: 'preview',
    description:
      'A local page with the week calendar, every card, thread previews and the queue; updates as you save',
  },
  args: {
    dir: bankDirArg,
    port: { type: 'string', description: 'port; 0 = any free port (default: PREVIEW_PORT or 4173)' },
    host: { type: 'string', description: 'listen on this address instead of 127.0.0.1; needs PREVIEW_TOKEN' },
    'queue-actions': {
      type: 'boolean',
      default: false,
      description: 'let the queue dashboard retry, clean, add and pause jobs (read-only without it)',
    },
  },
  async run({ args }) {
    const config = readConfig()
    const log = createLogger({
      level: config.logLevel,
      ...(config.logJson !== undefined ? { json: config.logJson } : {}),
    })
    const port = portArg(args.port, config.previewPort)
    const { startPreview } = await previewServer()
    const server = await startPreview({
      dir: args.dir,
      port,
      ...(args.host ? { host: args.host } : {}),
      ...(config.previewToken ? { token: config.previewToken } : {}),
      cacheDir: config.cacheDir,
      ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
      queuePrefix: config.queuePrefix,
      graceMinutes: config.graceMinutes,
      queueActions: args['queue-actions'],
      log,
    })
    const tokenHint = config.previewToken ? '?token=<PREVIEW_TOKEN>' : ''
    await runUntilStopped(
      () => server.close(),
      () => {
        process.stdout.write(`Preview of ${args.dir}: ${server.url}${tokenHint}\n`)
        if (!server.queuesMounted) process.stdout.write('Queue dashboard off: Redis is not reachable.\n')
        else if (!args['queue-actions'])
          process.stdout.write(
            'Queue dashboard read-only (--queue-actions lets it retry, clean and pause).\n',
          )
        process.stdout.write('It updates when you save the quote bank or plan.yaml. Ctrl+C stops it.\n')
      },
    )
  },
})
