import { resolve, sep } from 'node:path'
import type { ArgsDef, CommandDef } from 'citty'
import { RedisUnavailableError } from '../../queues/redis-error.ts'
import { InputError } from '../core/problem.ts'
import { fromRoot } from '../core/project-root.ts'

// @NOTE The CLI's one error boundary (commands.ts puts every command behind it): a user's mistake prints what to fix
// and exits 1 with no stack; anything else is a bug and keeps its stack. A path the user gave that cannot be read
// or written (`--ics /no/such/dir/plan.ics`) is such a mistake too, and so is a Redis that cannot be reached.

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the disk',
}

/** Our own files (the sources, the build, dependencies): an error there is a bug, not the user's path. */
const OWN_CODE = [fromRoot('src') + sep, fromRoot('dist') + sep]
const DEPENDENCIES = `${sep}node_modules${sep}`

function fsMistake(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined
  if (typeof e?.code !== 'string' || typeof e.path !== 'string') return undefined
  const why = FS_REASONS[e.code]
  const path = resolve(e.path)
  if (!why || OWN_CODE.some((dir) => path.startsWith(dir)) || path.includes(DEPENDENCIES)) return undefined
  return `${e.path}  ${why}  (check the path, and that the folder exists and you may write there)`
}

/** The one line to print for a user's mistake, or undefined for a bug. */
export function userMistake(err: unknown): string | undefined {
  if (err instanceof InputError) return err.message
  if (err instanceof RedisUnavailableError) return `ngovoices: ${err.message}`
  return fsMistake(err)
}

export async function runForUser(fn: () => Promise<unknown>): Promise<void> {
  try {
    const code = await fn()
    if (typeof code === 'number') process.exitCode = code
  } catch (err) {
    const line = userMistake(err)
    if (line === undefined) throw err
    process.stderr.write(`${line}\n`)
    process.exitCode = 1
  }
}

/** A command whose run goes through the boundary: what commands.ts does to every subcommand it loads. */
export function behindBoundary<A extends ArgsDef>(cmd: CommandDef<A>): CommandDef<A> {
  const run = cmd.run
  if (!run) return cmd
  return { ...cmd, run: (ctx) => runForUser(async () => run(ctx)) }
}
