import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cp, mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pingRedis, redisServerArgs } from '../../queues/redis.ts'
import { freePort } from '../pds/network.ts'

// A redis-server of the test's own (never the shared one on 6379), so a test may kill it, restart it, and
// restart it from an AOF that lost its last writes. Configured as the project's own: AOF, fsync always.

export interface OwnRedis {
  url: string
  /** Copies the AOF as it is now (every write so far is on disk: appendfsync always). */
  snapshot(name: string): Promise<void>
  /** SIGKILL, as a crash or a power cut would stop it. */
  kill(): Promise<void>
  /** Starts it again on the same port, from its AOF, or from a snapshot's (the writes after it are lost). */
  start(from?: string): Promise<void>
  close(): Promise<void>
}

export async function startOwnRedis(folder: string): Promise<OwnRedis> {
  // Absolute: redis-server changes into --dir before it opens its log file.
  const dir = resolve(folder)
  await mkdir(dir, { recursive: true })
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  const aof = join(dir, 'appendonlydir')
  let child: ChildProcess | undefined
  const start = async (from?: string) => {
    if (from) {
      await rm(aof, { recursive: true, force: true })
      await cp(join(dir, `snapshot-${from}`), aof, { recursive: true })
    }
    const c = spawn('redis-server', redisServerArgs(port, dir), { stdio: 'ignore' })
    child = c
    const deadline = Date.now() + 10_000
    while (!(await pingRedis(url, 300))) {
      if (c.exitCode !== null || Date.now() > deadline)
        throw new Error(`redis-server on ${port} did not start (see ${dir}/redis.log)`)
      await new Promise((ok) => setTimeout(ok, 50))
    }
  }
  const kill = async () => {
    const c = child
    child = undefined
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const gone = once(c, 'exit')
    c.kill('SIGKILL')
    await gone
  }
  await start()
  return {
    url,
    async snapshot(name) {
      await cp(aof, join(dir, `snapshot-${name}`), { recursive: true })
    },
    kill,
    start,
    async close() {
      await kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
