import { createHash } from 'node:crypto'
import { TID } from '@atproto/common-web'
import type { ComposedThread } from '../threads/types.ts'

// @NOTE A part's record key is its identity on the PDS: a second createRecord with the same key is refused, so a
// key that can be worked out again survives the loss of the checkpoint that held it (Redis losing its last
// writes). The key is a valid TID built from the slot's instant (so keys sort like the slots) plus a hash of the
// campaign, thread and part: the microseconds within the slot's millisecond carry the part's place, the clock id
// the hash. Two threads collide only when planned for the same millisecond and their hashes agree (1 in 1,024).

/** Parts a thread may have and still get keys in order within one millisecond. */
const PARTS_PER_MS = 100

export function slotRecordKeys(thread: ComposedThread, slotAt: number): string[] {
  const digest = createHash('sha256')
    .update(`${thread.campaign}\n${thread.threadId}\n${thread.platform}`)
    .digest()
  // 10 bits of clock id, and a start within the millisecond that leaves room for every part.
  const clockId = digest.readUInt16BE(0) % 1024
  const start = digest.readUInt16BE(2) % (1000 - PARTS_PER_MS)
  const base = Math.floor(slotAt) * 1000 + start
  return thread.parts.map((p) => {
    if (p.index >= PARTS_PER_MS) throw new RangeError(`a thread of more than ${PARTS_PER_MS} parts`)
    return TID.fromTime(base + p.index, clockId).toString()
  })
}
