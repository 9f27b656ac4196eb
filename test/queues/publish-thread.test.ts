import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type Checkpoint, type CheckpointStore, publishThread } from '../../queues/publish-thread.ts'
import { createOutboxPublisher } from '../../src/platforms/outbox.ts'
import { listOutbox } from '../../src/platforms/outbox-files.ts'
import type { ComposedThread } from '../../src/threads/types.ts'

// The posting loop marks a part in flight in the same write (and round trip) as the checks before it. A part the
// checks stop was never sent: its mark is taken back, unless an earlier attempt left it there (that part may be up).

const dir = join('test', '.tmp', `publish-thread-${randomBytes(4).toString('hex')}`)
afterAll(() => rm(dir, { recursive: true, force: true }))

const thread = (threadId: string): ComposedThread => ({
  campaign: 'asp21',
  day: '2022-12-05',
  threadId,
  quoteId: 'q',
  platform: 'x',
  parts: [0, 1, 2].map((index) => ({ index, text: `${threadId} part ${index + 1}/3` })),
})

/** A checkpoint kept as the worker keeps its job's data: each save is the whole checkpoint, as written. */
function store(start: Checkpoint): CheckpointStore & { saves: Checkpoint[] } {
  let current = start
  const saves: Checkpoint[] = []
  return {
    saves,
    get current() {
      return current
    },
    async save(patch) {
      current = { ...current, ...patch }
      saves.push(current)
    },
  }
}

describe('publishThread: the in-flight mark', () => {
  const publisher = createOutboxPublisher({ dir })

  it('writes once per part and once at the end, the mark always before the part is sent', async () => {
    const t = thread('t-writes')
    const cp = store({ posted: [] })
    const sent: number[] = []
    await publishThread({
      thread: t,
      publisher,
      checkpoint: cp,
      beforePart: async (i) => {
        // The write that marks part i is stored before its checks are answered and anything is sent.
        expect(cp.current.inFlight).toBe(i)
        sent.push(i)
        return undefined
      },
    })
    expect(sent).toEqual([0, 1, 2])
    expect(cp.saves.map((s) => s.inFlight)).toEqual([0, 1, 2, undefined])
    expect(cp.saves.map((s) => s.posted.filter((p) => p !== null).length)).toEqual([0, 1, 2, 3])
    expect(listOutbox(dir).find((x) => x.threadId === 't-writes')?.parts).toHaveLength(3)
  })

  it('takes the mark back when the checks stop the thread or give it back', async () => {
    const stopped = store({ posted: [] })
    const out = await publishThread({
      thread: thread('t-stop'),
      publisher,
      checkpoint: stopped,
      beforePart: async (i) => (i === 1 ? 'cancelled by hand' : undefined),
    })
    expect(out.stopped).toBe('cancelled by hand')
    expect(stopped.current.inFlight).toBeUndefined()
    expect(stopped.current.posted.map((p) => p !== null)).toEqual([true, false, false])

    const held = store({ posted: [] })
    const hold = new Error('held after a 429')
    await expect(
      publishThread({
        thread: thread('t-held'),
        publisher,
        checkpoint: held,
        beforePart: async (i) => {
          if (i === 2) throw hold
          return undefined
        },
      }),
    ).rejects.toBe(hold)
    expect(held.current.inFlight).toBeUndefined()
    expect(held.current.posted.map((p) => p !== null)).toEqual([true, true, false])
  })

  it('keeps a mark an earlier attempt left when the checks stop the part it is on', async () => {
    // A first attempt posted parts 1 and 2, and its checkpoint of part 2 was lost.
    const t = thread('t-left')
    const first = store({ posted: [] })
    await expect(
      publishThread({
        thread: t,
        publisher,
        checkpoint: first,
        beforePart: async (i) => {
          if (i === 2) throw new Error('died')
          return undefined
        },
      }),
    ).rejects.toThrow('died')
    // What Redis kept: part 1, and part 2 in flight.
    const [one] = first.current.posted
    const left: Checkpoint = { ...first.current, posted: [one ?? null, null, null], inFlight: 1 }
    const again = store(left)
    const out = await publishThread({
      thread: t,
      publisher,
      checkpoint: again,
      beforePart: async () => 'paused',
    })
    expect(out.stopped).toBe('paused')
    expect(again.current.inFlight).toBe(1)
    // So the next attempt looks first, finds part 2 and posts only part 3.
    const last = store(again.current)
    await publishThread({ thread: t, publisher, checkpoint: last })
    const posted = listOutbox(dir).filter((x) => x.threadId === 't-left')
    expect(posted.map((x) => x.parts.map((p) => p.index))).toEqual([[0, 1, 2]])
  })
})
