import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { RedisUnavailableError } from './redis-error.ts'

// @NOTE Finding Redis, in order: REDIS_URL; a Redis already on 127.0.0.1:6379; a private `redis-server`
// started from PATH for the life of the command (data under .ngovoices/redis/, AOF fsynced on every write); else one clear
// message. This is the only file that knows how to reach or start Redis.

export { RedisUnavailableError }

export interface FoundRedis {
  url: string
  /** How it was found, for the first log line. */
  source: 'REDIS_URL' | 'local' | 'started'
  /** Stops the redis-server this command started; a no-op otherwise. */
  stop(): Promise<void>
}

export interface FindRedisOptions {
  redisUrl?: string
  /** Where a started redis-server keeps its data; `.ngovoices/redis` by default. */
  dataDir?: string
  /** Tried when REDIS_URL is not set; the default is the usual local port. */
  localUrl?: string
  /** The redis-server binary; found on PATH by default. */
  redisServer?: string
  /** Start a redis-server when none answers (default); the preview only looks, it never starts one. */
  start?: boolean
}

const HOW_TO_GET_ONE =
  'no Redis found: set REDIS_URL, or run `docker compose up -d redis`, or install your system’s package ' +
  '(Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) and run this again'

/** Answers PING within a short time, or false; never leaves a client open. */
export async function pingRedis(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  })
  client.on('error', () => {})
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

export async function findRedis(opts: FindRedisOptions = {}): Promise<FoundRedis> {
  const none = async () => {}
  if (opts.redisUrl) {
    if (await pingRedis(opts.redisUrl)) return { url: opts.redisUrl, source: 'REDIS_URL', stop: none }
    throw new RedisUnavailableError(
      `REDIS_URL is set but ${redactUrl(opts.redisUrl)} does not answer: start that Redis, or unset REDIS_URL`,
    )
  }
  const local = opts.localUrl ?? 'redis://127.0.0.1:6379'
  if (await pingRedis(local)) return { url: local, source: 'local', stop: none }
  const dataDir = resolve(opts.dataDir ?? '.ngovoices/redis')
  // Another ngovoices command may already run a server on this data folder (e.g. `start --live` while
  // someone runs `pause`): use it. Two servers on one AOF folder would corrupt it.
  const running = await runningServer(dataDir)
  if (running) return { url: running, source: 'local', stop: none }
  if (opts.start === false) throw new RedisUnavailableError(HOW_TO_GET_ONE)
  const started = await startRedisServer(opts.redisServer ?? 'redis-server', dataDir)
  if (started) return { ...started, source: 'started' }
  throw new RedisUnavailableError(HOW_TO_GET_ONE)
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.once('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => ok(port))
    })
  })
}

const SERVER_FILE = 'ngovoices-server.json'

async function runningServer(dir: string): Promise<string | undefined> {
  try {
    const { port } = JSON.parse(await readFile(join(dir, SERVER_FILE), 'utf8')) as { port?: unknown }
    const url = `redis://127.0.0.1:${Number(port)}`
    return typeof port === 'number' && (await pingRedis(url, 500)) ? url : undefined
  } catch {
    return undefined
  }
}

/**
 * How we run a redis-server of our own: loopback only, AOF fsynced on every write, never evicting (BullMQ
 * loses jobs to eviction). `dir` must be absolute: redis-server changes into it before opening its log.
 */
export function redisServerArgs(port: number, dir: string): string[] {
  return [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dir,
    '--appendonly',
    'yes',
    // Every write reaches the disk before Redis answers: a checkpoint lost in a power cut could mean a second
    // post. A week's few thousand writes make the cost invisible.
    '--appendfsync',
    'always',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--logfile',
    join(dir, 'redis.log'),
  ]
}

async function startRedisServer(bin: string, dir: string): Promise<Omit<FoundRedis, 'source'> | undefined> {
  await mkdir(dir, { recursive: true })
  const port = await freePort()
  let child: ChildProcess
  try {
    child = spawn(bin, redisServerArgs(port, dir), { stdio: 'ignore' })
  } catch {
    return undefined
  }
  const exited = new Promise<'exited'>((ok) => {
    child.once('error', () => ok('exited'))
    child.once('exit', () => ok('exited'))
  })
  const url = `redis://127.0.0.1:${port}`
  // @NOTE Bounded wait for the new server to answer (it usually takes ~50 ms); an exit means no binary.
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const answer = await Promise.race([pingRedis(url, 300), exited])
    if (answer === 'exited') return undefined
    if (answer) {
      await writeFile(join(dir, SERVER_FILE), JSON.stringify({ port, pid: child.pid }))
      const stop = async () => {
        await rm(join(dir, SERVER_FILE), { force: true })
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        await exited
      }
      // The server is ours alone: never leave it behind when the command ends.
      process.once('exit', () => child.kill('SIGTERM'))
      return { url, stop }
    }
    await new Promise((ok) => setTimeout(ok, 50))
  }
  child.kill('SIGKILL')
  return undefined
}

/** BullMQ loses jobs when Redis evicts keys: say so once, loudly, when the policy is not noeviction. */
export async function evictionWarning(client: Redis): Promise<string | undefined> {
  try {
    const reply = (await client.config('GET', 'maxmemory-policy')) as unknown
    const policy = Array.isArray(reply) ? reply[1] : undefined
    if (typeof policy === 'string' && policy !== 'noeviction')
      return `Redis maxmemory-policy is ${policy}: scheduled posts may be evicted; set it to noeviction (redis-cli config set maxmemory-policy noeviction)`
  } catch {
    // @NOTE Managed Redis often forbids CONFIG; we cannot tell, so we do not guess.
  }
  return undefined
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'REDIS_URL'
  }
}

/** The client every queue of a command shares (BullMQ needs maxRetriesPerRequest: null). */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null })
}
