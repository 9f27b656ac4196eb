import { readFileSync } from 'node:fs'

/**
 * A local file's bytes, or undefined when it does not exist; any other failure (a permission, a folder) is
 * thrown. Synchronous: these are small local files, where fs/promises' thread-pool round trips cost more than
 * the read.
 */
export function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
