import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Logger } from 'pino'
import { InputError, inputError } from '../core/problem.ts'
import { fromRoot } from '../core/project-root.ts'
import { requireFolder } from '../quotes/load.ts'
import { boardExtras, mountBoard } from './board-routes.ts'
import { mountCards } from './cards-route.ts'
import { mountEvents } from './events-route.ts'
import { mountExports, planExports } from './exports-route.ts'
import { LiveModel } from './live-model.ts'
import { connectQueues, followQueueStates, type QueueLink } from './queue-link.ts'
import {
  boardCsrfCookie,
  loopbackHostOnly,
  newCsrfToken,
  requireToken,
  sameOriginWrites,
  securityHeaders,
} from './security.ts'
import { calendarBody } from './views/calendar.ts'
import { galleryBody } from './views/gallery.ts'
import { type Chrome, type PageId, page } from './views/layout.ts'
import { threadsBody } from './views/threads.ts'

export interface PreviewOptions {
  dir: string
  /** 127.0.0.1 unless set; anything beyond loopback needs `token`. */
  host?: string
  /** 0 = any free port. */
  port: number
  token?: string
  cacheDir: string
  /** Redis for the queue dashboard and live post states; none = those panels say why. */
  redisUrl?: string
  queuePrefix: string
  graceMinutes: number
  /** Let the queue dashboard retry, clean, add and pause (read-only unless set). */
  queueActions?: boolean
  watch?: boolean
  debounceMs?: number
  /** How often live post states are checked for changes (ms). */
  statusPollMs?: number
  now?: () => Date
  log?: Logger
}

export interface PreviewServer {
  url: string
  port: number
  live: LiveModel
  queuesMounted: boolean
  /** Live-update streams (open tabs) being served now. */
  readonly streams: number
  close(): Promise<void>
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host)
}

/** A busy port or an address this machine does not have is the user's to fix, not a crash. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = err instanceof Error && 'code' in err ? err.code : undefined
  if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL') return err
  return new InputError(
    [
      {
        file: 'arguments',
        line: 0,
        col: 0,
        message:
          code === 'EADDRINUSE'
            ? `port ${port} on ${host} is already in use`
            : `${host} is not an address of this machine`,
        fix:
          code === 'EADDRINUSE'
            ? 'pass --port 0 for any free port, or another --port'
            : 'leave out --host, or give one of this machine’s addresses',
        severity: 'error',
      },
    ],
    { cause: err },
  )
}

const ASSETS: Record<string, string> = {
  'preview.js': 'text/javascript; charset=utf-8',
  'preview.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
}

async function loadAssets(): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const name of Object.keys(ASSETS))
    out.set(name, await readFile(fromRoot('src', 'preview', 'assets', name), 'utf8'))
  return out
}

export async function startPreview(opts: PreviewOptions): Promise<PreviewServer> {
  // Everything else wrong with the bank shows on the page; a folder that is not there has no page to show.
  await requireFolder(opts.dir)
  const host = opts.host ?? '127.0.0.1'
  if (!isLoopback(host) && !opts.token) {
    throw inputError(
      'arguments',
      `--host ${host} would let other machines open the preview, and it needs an access token for that`,
      'set PREVIEW_TOKEN (16 characters or more) in the environment or .env, or leave out --host',
    )
  }
  const now = opts.now ?? (() => new Date())
  const closing = new AbortController()
  const live = await LiveModel.open(opts.dir, {
    watch: opts.watch ?? true,
    ...(opts.debounceMs !== undefined ? { debounceMs: opts.debounceMs } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  })
  const queues: QueueLink = await connectQueues(opts.redisUrl, opts.queuePrefix, {
    actions: opts.queueActions ?? false,
    ...(opts.log ? { log: opts.log } : {}),
  })
  const assets = await loadAssets()

  const app = new Hono()
  app.use('*', securityHeaders())
  app.use('*', opts.token ? requireToken(opts.token) : loopbackHostOnly())
  // One gate in front of every route, so a write route added later cannot forget it.
  const csrf = newCsrfToken()
  app.use('*', sameOriginWrites(csrf))
  const chrome: Chrome = { queuesMounted: queues.board !== undefined, csrf }

  app.get('/assets/:name', (c) => {
    const name = c.req.param('name')
    const body = assets.get(name)
    const type = ASSETS[name]
    if (body === undefined || type === undefined) return c.notFound()
    c.header('Content-Type', type)
    c.header('Cache-Control', 'no-cache')
    return c.body(body)
  })

  const board = mountBoard(app, {
    live,
    dir: opts.dir,
    cacheDir: opts.cacheDir,
    now,
    ...boardExtras(queues, opts),
  })

  const render = async (id: PageId, threadsPage = 1) => {
    const model = live.current
    if (id === 'cards') return page(model, id, 'Cards', galleryBody(model), chrome)
    if (id === 'threads') return page(model, id, 'Threads', threadsBody(model, threadsPage), chrome)
    const states = model.plan.ok ? await queues.states(model.plan.value.plan) : undefined
    const downloads = planExports(model)
    const body = calendarBody(model, {
      now: now(),
      graceMinutes: opts.graceMinutes,
      queue: states ?? { ok: false, reason: 'needs a plan' },
      queuesMounted: chrome.queuesMounted,
      exports: downloads.ok ? { ok: true, value: true } : downloads,
      board: await board.view(),
    })
    return page(model, id, 'Calendar', body, chrome)
  }
  const htmlHeaders = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }
  app.get('/', async (c) => c.body((await render('calendar')).value, 200, htmlHeaders))
  app.get('/cards', async (c) => c.body((await render('cards')).value, 200, htmlHeaders))
  app.get('/threads', async (c) =>
    c.body((await render('threads', Number(c.req.query('page') ?? 1))).value, 200, htmlHeaders),
  )
  app.get('/healthz', (c) => c.json({ ok: true, version: live.current.version }))

  mountCards(app, live, opts.cacheDir, opts.log)
  mountExports(app, live)
  const events = mountEvents(app, live, closing.signal)
  if (queues.board) {
    app.get('/queues/', (c) => c.redirect('/queues', 301))
    if (opts.queueActions) app.use('/queues/*', boardCsrfCookie(csrf))
    app.route('/queues', queues.board)
  }

  const stopFollowing = queues.board
    ? followQueueStates(
        queues,
        () => (live.current.plan.ok ? live.current.plan.value.plan : undefined),
        () => {
          live.refresh().catch((err: unknown) => opts.log?.error({ err }, 'preview: reload failed'))
        },
        opts.statusPollMs ?? 5_000,
      )
    : () => {}

  const server = await new Promise<ReturnType<typeof serve>>((ok, fail) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: host }, () => ok(s))
    s.once('error', fail)
  }).catch(async (err: unknown) => {
    stopFollowing()
    live.close()
    await queues.close()
    throw listenError(err, host, opts.port)
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    live,
    queuesMounted: chrome.queuesMounted,
    get streams() {
      return events.open
    },
    async close() {
      closing.abort()
      stopFollowing()
      live.close()
      await new Promise<void>((ok) => {
        server.close(() => ok())
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      await queues.close()
    },
  }
}
