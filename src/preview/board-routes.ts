import type { Context, Hono } from 'hono'
import type { Logger } from 'pino'
import * as z from 'zod'
import type { Queues } from '../../queues/queues.ts'
import { type Change, recentChanges } from '../calendar/change-log.ts'
import { RefusedChange, StalePlanError } from '../calendar/plan-edit.ts'
import { InputError } from '../core/problem.ts'
import { ConsentEditError } from '../quotes/consent-edit.ts'
import { type BoardDeps, BoardUnavailable, type Done } from './board/deps.ts'
import { cancelThreadInPlan, lockThread, moveThread, replanRest } from './board/plan-actions.ts'
import { changeConsent } from './board/quote-actions.ts'
import { pausedNow, runThread, setPaused } from './board/run-actions.ts'

// @NOTE Every write of the planning board, under /api/, POST with a JSON body only (the page-security
// middleware in front checks origin and anti-forgery token). Writes run one at a time, so two tabs on one
// server cannot interleave a read and a write of plan.yaml; another process is caught by the plan's version.

const who = z
  .string()
  .trim()
  .max(80)
  .optional()
  .transform((s) => (s ? s : 'someone on the page (no name given)'))
const note = z.string().trim().max(300).optional()
const thread = z.string().min(1).max(200)
const version = z.string().min(1).max(64)
const quote = z.string().min(1).max(200)

interface Route {
  path: string
  /** The action bound to a valid body, or what is wrong with the body. */
  parse(raw: unknown): { run: (d: BoardDeps) => Promise<Done> } | { error: string }
}

function route<S extends z.ZodType>(
  path: string,
  body: S,
  run: (d: BoardDeps, r: z.output<S>) => Promise<Done>,
): Route {
  return {
    path,
    parse(raw) {
      const p = body.safeParse(raw)
      if (!p.success)
        return { error: `${p.error.issues[0]?.path.join('.') ?? ''} ${p.error.issues[0]?.message ?? ''}` }
      return { run: (d) => run(d, p.data) }
    },
  }
}

const ROUTES: Route[] = [
  route(
    '/api/plan/move',
    z.object({ who, version, thread, day: z.string().max(20), time: z.string().max(10) }),
    moveThread,
  ),
  route('/api/plan/lock', z.object({ who, version, thread, locked: z.boolean() }), lockThread),
  route(
    '/api/plan/cancel',
    z.object({ who, version, thread, cancelled: z.boolean(), note }),
    cancelThreadInPlan,
  ),
  route('/api/plan/replan', z.object({ who, version }), replanRest),
  route('/api/quotes/withdraw', z.object({ who, quote, note }), (d, r) => changeConsent(d, 'withdraw', r)),
  route('/api/quotes/approve', z.object({ who, quote, note }), (d, r) => changeConsent(d, 'approve', r)),
  route('/api/run/pause', z.object({ who }), (d, r) => setPaused(d, { ...r, paused: true })),
  route('/api/run/resume', z.object({ who }), (d, r) => setPaused(d, { ...r, paused: false })),
  route('/api/run/retry', z.object({ who, thread }), (d, r) => runThread(d, 'retry', r)),
  route('/api/run/cancel', z.object({ who, thread, note }), (d, r) => runThread(d, 'cancel', r)),
]

/** Every write route of the board (the security test sends a cross-site request to each). */
export const BOARD_WRITE_PATHS = ROUTES.map((r) => r.path)

export interface BoardView {
  /** Whether posting is paused; undefined when the queue cannot be reached. */
  paused: boolean | undefined
  changes: Change[]
}

/** The board's own state for the calendar page. */
export interface Board {
  view(): Promise<BoardView>
}

type Reply = { status: 200 | 400 | 409 | 415 | 422 | 500 | 503; body: Record<string, unknown> }

function failure(err: unknown, d: BoardDeps): Reply {
  if (err instanceof StalePlanError)
    return {
      status: 409,
      body: {
        ok: false,
        stale: true,
        message:
          'Someone else changed the plan just now, so your change was not made. The page now shows the current week: try again if it is still needed.',
      },
    }
  if (err instanceof RefusedChange || err instanceof ConsentEditError)
    return { status: 422, body: { ok: false, message: err.message } }
  if (err instanceof InputError) {
    const p = err.problems[0]
    const where = p ? `${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message} (${p.fix})` : err.message
    return { status: 422, body: { ok: false, message: `The plan file has an error, fix it first: ${where}` } }
  }
  if (err instanceof BoardUnavailable) return { status: 503, body: { ok: false, message: err.message } }
  d.log?.error({ err }, 'board: change failed')
  return { status: 500, body: { ok: false, message: 'The change failed on the server: see its log.' } }
}

export function mountBoard(app: Hono, d: BoardDeps): Board {
  let turn: Promise<unknown> = Promise.resolve()
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = turn.then(fn, fn)
    turn = next.catch(() => undefined)
    return next
  }
  const handle = async (c: Context, r: Route): Promise<Reply> => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      return { status: 415, body: { ok: false, message: 'Send JSON (Content-Type: application/json).' } }
    const parsed = r.parse(await c.req.json().catch(() => undefined))
    if ('error' in parsed)
      return { status: 400, body: { ok: false, message: `Bad request: ${parsed.error}` } }
    try {
      const done = await oneAtATime(() => parsed.run(d))
      return { status: 200, body: { ok: true, ...done } }
    } catch (err) {
      return failure(err, d)
    }
  }
  for (const r of ROUTES) {
    app.post(r.path, async (c) => {
      const reply = await handle(c, r)
      return c.json(reply.body, reply.status)
    })
  }
  return {
    async view() {
      return { paused: await pausedNow(d), changes: await recentChanges(d.dir, 8) }
    },
  }
}

/** The optional parts of BoardDeps, from what the server has (exactOptionalPropertyTypes wants them absent, not undefined). */
export function boardExtras(queues: { q?: Queues }, opts: { log?: Logger }): Pick<BoardDeps, 'q' | 'log'> {
  return { ...(queues.q ? { q: queues.q } : {}), ...(opts.log ? { log: opts.log } : {}) }
}
