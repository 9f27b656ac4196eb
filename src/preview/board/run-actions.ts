import { cancelThread, isPausedAny, pauseAll, resumeAll, retryThread } from '../../../queues/control.ts'
import { logChange } from '../../calendar/change-log.ts'
import { type BoardDeps, bankNow, type Done, queueOf } from './deps.ts'

// @NOTE Running the week from the page: the very functions the `pause`, `resume`, `retry` and `cancel`
// commands call, so the page and the terminal cannot disagree on what they do.

export async function setPaused(d: BoardDeps, r: { who: string; paused: boolean }): Promise<Done> {
  const q = queueOf(d)
  const was = await isPausedAny(q)
  if (r.paused) await pauseAll(q)
  else await resumeAll(q)
  await logChange(d.dir, {
    who: r.who,
    what: r.paused ? 'paused all posting' : 'resumed posting',
    from: was ? 'paused' : 'running',
    to: r.paused ? 'paused' : 'running',
  })
  await d.live.refresh()
  return {
    message: r.paused
      ? 'Paused: no worker posts anything until you resume (a thread being posted stops before its next part).'
      : 'Resumed: posting goes on.',
  }
}

export async function runThread(
  d: BoardDeps,
  kind: 'retry' | 'cancel',
  r: { who: string; thread: string; note?: string | undefined },
): Promise<Done> {
  const q = queueOf(d)
  bankNow(d)
  const result =
    kind === 'retry'
      ? await retryThread(q, r.thread)
      : await cancelThread(q, r.thread, r.note ? `${r.note} (${r.who})` : `cancelled on the page by ${r.who}`)
  await logChange(d.dir, {
    who: r.who,
    what: `${kind === 'retry' ? 'retried' : 'cancelled posting of'} ${r.thread}${r.note ? ` (${r.note})` : ''}`,
    from: '',
    to: result.changed > 0 ? result.lines.join('; ') : 'nothing to do',
  })
  await d.live.refresh()
  if (result.changed === 0)
    return { message: `Nothing to ${kind}: ${result.lines.join('; ') || 'it has no posts in the queue'}.` }
  return {
    message:
      kind === 'retry'
        ? 'Queued again: it posts only the parts that are not out yet.'
        : 'Cancelled: it stays cancelled until someone retries it.',
    warnings: result.lines,
  }
}

/** Whether posting is paused, for the page's bar; undefined without a queue. */
export async function pausedNow(d: BoardDeps): Promise<boolean | undefined> {
  if (!d.q) return undefined
  return isPausedAny(d.q).catch(() => undefined)
}
