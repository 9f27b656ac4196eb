import { type Processor, Worker, type WorkerOptions } from 'bullmq'
import type { Redis } from 'ioredis'

// @NOTE A delayed job is taken at its instant, not up to 100 ms later. BullMQ 6.7's worker waits for the next
// delayed job by blocking on the queue's marker (BZPOPMIN) with a timeout that ends at the job's instant, and Redis
// checks blocked clients' timeouts only when its event loop turns: every 1000/hz ms on a quiet server (hz 10 by
// default), so the wait ended 0–100 ms late (50 on average; BENCHMARKS.md, post lateness). This worker keeps a
// timer of its own for the instant BullMQ blocks until and, when it fires, adds the marker BullMQ adds itself when
// a job becomes ready (`ZADD <marker> 0 "0"`): the blocked fetch returns at once and moves the due job to active.
// The marker only wakes; which jobs are due is still decided by Redis's own script, so nothing runs early. A marker
// no worker was waiting for costs one fetch that finds nothing, as one BullMQ leaves behind does.

export class DueWakeWorker<D, R> extends Worker<D, R> {
  private wake: ReturnType<typeof setTimeout> | undefined

  /** `redis`: a client on the worker's Redis that is not blocked (the queues' shared one), to write the marker. */
  constructor(
    private readonly redis: Redis,
    name: string,
    processor: Processor<D, R>,
    opts: WorkerOptions,
  ) {
    super(name, processor, opts)
  }

  /** Called by BullMQ right before each blocking wait, with the instant of the next delayed job (0: none). */
  protected override getBlockTimeout(blockUntil: number): number {
    const timeout = super.getBlockTimeout(blockUntil)
    clearTimeout(this.wake)
    this.wake = undefined
    if (blockUntil > 0 && timeout > 0) {
      this.wake = setTimeout(() => this.nudge(), blockUntil - Date.now())
      this.wake.unref()
    }
    return timeout
  }

  override async close(force?: boolean): Promise<void> {
    clearTimeout(this.wake)
    await super.close(force)
  }

  private nudge(): void {
    this.wake = undefined
    if (this.closing) return
    // Not reaching Redis here only leaves the wait to end by its own timeout, as it did without this timer.
    this.redis.zadd(this.toKey('marker'), 0, '0').catch(() => undefined)
  }
}
