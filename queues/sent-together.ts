import type { Redis } from 'ioredis'

// @NOTE Commands issued together on the worker's shared connection leave in one socket write. Node writes each
// command to the socket at once, one system call each, and on a busy machine each write also wakes Redis, which
// then answers one command at a time: a part's checkpoint write and its three checks cost four writes. Corked until
// the event loop's next check phase, they go as one (the commands BullMQ issues after a microtask or two included).
// Nothing else changes: the same commands, in the same order, on the same connection, each sent and answered as it
// would be alone; only the system call is shared. It is not ioredis's auto-pipelining, which BullMQ's maintainers
// do not expect to work with BullMQ (taskforcesh/bullmq#1127), and BullMQ's blocking connections are never corked.

/** Runs `issue` (which sends commands on `redis`) with the connection's socket corked until the loop's next turn. */
export function sentTogether<T>(redis: Redis, issue: () => T): T {
  // Not connected: ioredis holds the commands in its offline queue, not in a socket.
  if (redis.status !== 'ready') return issue()
  const socket = redis.stream
  socket.cork()
  try {
    return issue()
  } finally {
    setImmediate(() => socket.uncork())
  }
}
