import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let collect: NodeJS.GCFunction | undefined

/**
 * V8's full collection, as `--expose-gc` gives it, without asking for the flag: the flag is turned on only while
 * one fresh context is made, so no other code of the process sees a `gc` global it did not ask for.
 */
export function fullGc(): void {
  collect ??= globalThis.gc ?? exposedGc()
  collect()
}

function exposedGc(): NodeJS.GCFunction {
  setFlagsFromString('--expose-gc')
  try {
    return runInNewContext('gc') as NodeJS.GCFunction
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}
