import { InputError } from '../quotes/problem.ts'

// @NOTE A user's mistake prints what to fix and exits 1 with no stack; anything else is a bug and keeps its stack.
export async function runForUser(fn: () => Promise<unknown>): Promise<void> {
  try {
    const code = await fn()
    if (typeof code === 'number') process.exitCode = code
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`${err.message}\n`)
      process.exitCode = 1
      return
    }
    throw err
  }
}
