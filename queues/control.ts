import type { Job } from 'bullmq'
import type { PublishJobData, PublishResult } from './payload.ts'
import { publishQueueList, type Queues } from './queues.ts'
import { cancelByHand, clearUnconfirmed, handCancels, uncancel } from './records.ts'
import { succeeds } from './sync.ts'

// @NOTE What the on-call person does: pause / resume every publish queue at once (every worker obeys within a
// second, and a running thread stops before its next part), retry a failed thread, cancel one.

type PublishJob = Job<PublishJobData, PublishResult>

export async function pauseAll(q: Queues): Promise<void> {
  await Promise.all(publishQueueList(q).map((queue) => queue.pause()))
}

export async function resumeAll(q: Queues): Promise<void> {
  await Promise.all(publishQueueList(q).map((queue) => queue.resume()))
}

export async function isPausedAny(q: Queues): Promise<boolean> {
  return (await Promise.all(publishQueueList(q).map((queue) => queue.isPaused()))).some(Boolean)
}

interface Found {
  job: PublishJob
  state: string
}

/** The jobs of a thread, named by thread id or quote id (comms staff know the quote). */
async function findThread(q: Queues, name: string): Promise<Found[]> {
  const out: Found[] = []
  for (const queue of publishQueueList(q)) {
    for (const state of ['delayed', 'waiting', 'prioritized', 'active', 'completed', 'failed'] as const) {
      for (const job of await queue.getJobs([state])) {
        if (job && (job.data.threadId === name || job.data.quoteId === name)) out.push({ job, state })
      }
    }
  }
  return out
}

export interface ControlResult {
  /** One line per job: what was done, or why nothing was. */
  lines: string[]
  changed: number
}

export async function retryThread(q: Queues, name: string): Promise<ControlResult> {
  const found = await findThread(q, name)
  const lines: string[] = []
  let changed = 0
  // A thread cancelled by hand may have no job left: its record is enough to undo the cancel.
  for (const c of (await handCancels(q)).values()) {
    if (c.threadId !== name && c.quoteId !== name) continue
    await uncancel(q, c.campaign, c.threadId)
    lines.push(
      `${c.threadId}: no longer cancelled by hand; \`ngovoices schedule\` (or the next sweep) queues it again`,
    )
    changed++
  }
  for (const { job, state } of found) {
    const id = job.id ?? ''
    if (state === 'failed') {
      // A person asked: post now even if late; an in-flight part is looked up before it is posted again.
      await job.updateData({ ...job.data, lateOk: true })
      await clearUnconfirmed(q, id)
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
      lines.push(`${id}: queued again (resumes after the last posted part)`)
      changed++
    } else if (state === 'completed') {
      lines.push(`${id}: already ${job.returnvalue?.outcome ?? 'done'}; nothing to retry`)
    } else {
      lines.push(`${id}: ${state}; nothing to retry`)
    }
  }
  return { lines, changed }
}

export async function cancelThread(
  q: Queues,
  name: string,
  reason = 'cancelled by hand',
): Promise<ControlResult> {
  const found = await findThread(q, name)
  const lines: string[] = []
  let changed = 0
  const threads = new Set<string>()
  for (const { job, state } of found) {
    const id = job.id ?? ''
    const key = `${job.data.campaign}\u0000${job.data.threadId}`
    if (!threads.has(key)) {
      threads.add(key)
      await cancelByHand(q, {
        campaign: job.data.campaign,
        threadId: job.data.threadId,
        quoteId: job.data.quoteId,
        reason,
      })
    }
    if (state === 'completed') {
      lines.push(`${id}: already ${job.returnvalue?.outcome ?? 'done'}; delete the posts by hand if needed`)
      continue
    }
    if (state === 'active') {
      lines.push(`${id}: posting now; it stops before its next part`)
      changed++
      continue
    }
    const gone = await succeeds(job.remove())
    lines.push(gone ? `${id}: removed (${state})` : `${id}: started just now; it stops before its next part`)
    await clearUnconfirmed(q, id)
    changed++
  }
  return { lines, changed }
}
