import { setFlagsFromString } from 'node:v8'

// @NOTE What --max-semi-space-size=1 gives a worker, for a Node that cannot re-execute itself with the flag
// (bin/lean-memory.mjs; Node < 22.15 has no process.execve). A heap's semi-space limit is fixed when V8 makes
// that heap, but V8 reads the growth factor each time a young generation would grow: at 1, the process's own heap
// keeps the size it started with (1 MB a semi-space). Heaps made later (the card pool's threads) take the limit
// itself. V8 puts the growth factor back to its default (2) whenever it makes a heap, so the card pool sets it
// again once each thread is running (render-pool.ts). test/cli/worker-lean.test.ts checks that both hold.

let capped = false

/**
 * Keeps every young generation of this process at 1 MB a semi-space from now on. Called before the worker loads
 * its modules: loading them is what grows a young generation first.
 * @public bin/lean-memory.mjs imports it from the build (dist/), which knip does not follow.
 */
export function capYoungGeneration(): void {
  capped = true
  apply()
}

/** Called once a worker thread's heap exists: making it reset the growth factor. */
export function afterThreadStarted(): void {
  if (capped) apply()
}

function apply(): void {
  setFlagsFromString('--max-semi-space-size=1')
  setFlagsFromString('--semi-space-growth-factor=1')
}
