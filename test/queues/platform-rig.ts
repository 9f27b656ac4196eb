import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type FakeX, startFakeX } from '../fake-x/server.ts'
import { type FaultProxy, startFaultProxy } from '../fault-proxy/proxy.ts'
import { startTestPds, type TestPds } from '../pds/network.ts'

// The real platforms of the fault tests and the chaos run, each behind a fault proxy: a real PDS (dev-env) and
// the fake X server. Worker processes (platform-worker.ts) reach them only through the proxies, configured as
// production is: BLUESKY_SERVICE and X_API_BASE_URL.

export interface PlatformRig {
  pds: TestPds
  pdsProxy: FaultProxy
  fakeX: FakeX
  xProxy: FaultProxy
  /** The environment of a worker process posting to both platforms through the proxies. */
  workerEnv(o: { redisUrl: string; prefix: string; cacheDir: string; timeoutMs?: number }): NodeJS.ProcessEnv
  close(): Promise<void>
}

export async function startPlatformRig(area: string): Promise<PlatformRig> {
  const pds = await startTestPds({ area })
  const fakeX = await startFakeX()
  const pdsProxy = await startFaultProxy(pds.service)
  const xProxy = await startFaultProxy(fakeX.url)
  return {
    pds,
    pdsProxy,
    fakeX,
    xProxy,
    workerEnv(o) {
      const { PATH, HOME, TMPDIR } = process.env
      return {
        ...(PATH ? { PATH } : {}),
        ...(HOME ? { HOME } : {}),
        ...(TMPDIR ? { TMPDIR } : {}),
        REDIS_URL: o.redisUrl,
        NGOVOICES_QUEUE_PREFIX: o.prefix,
        NGOVOICES_PUBLISHER: 'live',
        NGOVOICES_CACHE_DIR: o.cacheDir,
        NGOVOICES_PLATFORM_TIMEOUT_MS: String(o.timeoutMs ?? 3000),
        LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent',
        X_API_KEY: fakeX.credentials.appKey,
        X_API_SECRET: fakeX.credentials.appSecret,
        X_ACCESS_TOKEN: fakeX.credentials.accessToken,
        X_ACCESS_SECRET: fakeX.credentials.accessSecret,
        X_API_BASE_URL: xProxy.url,
        BLUESKY_SERVICE: pdsProxy.url,
        BLUESKY_HANDLE: pds.handle,
        BLUESKY_APP_PASSWORD: pds.password,
      }
    },
    async close() {
      await pdsProxy.close()
      await xProxy.close()
      await fakeX.close()
      await pds.close()
    },
  }
}

const WORKER = join('test', 'queues', 'platform-worker.ts')

/** A worker process (platform-worker.ts), resolved once it takes jobs. */
export async function spawnWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  if (env.NGOVOICES_CACHE_DIR) await mkdir(env.NGOVOICES_CACHE_DIR, { recursive: true })
  // Its log goes to stderr, shown when WORKER_LOG_LEVEL asks for one (a Redis restart makes noise otherwise).
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env,
    stdio: ['ignore', 'pipe', process.env.WORKER_LOG_LEVEL ? 'inherit' : 'ignore'],
  })
  const ready = new Promise<void>((ok, fail) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) ok()
    })
    child.once('exit', (code) => fail(new Error(`worker exited (${code}) before it was ready`)))
  })
  await ready
  return child
}

/** SIGKILL, and wait until the process is gone. */
export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const gone = once(child, 'exit')
  child.kill('SIGKILL')
  await gone
}

/** Per test file: one rig for all its tests, and the worker processes a test starts killed after it. */
export function usePlatformRig(area: string): { readonly rig: PlatformRig; children: ChildProcess[] } {
  let rig: PlatformRig | undefined
  const children: ChildProcess[] = []
  beforeAll(async () => {
    rig = await startPlatformRig(area)
  })
  afterAll(async () => {
    await rig?.close()
  })
  afterEach(async () => {
    for (const c of children.splice(0)) await killWorker(c)
  })
  return {
    get rig(): PlatformRig {
      if (!rig) throw new Error('the platform rig is used outside a test')
      return rig
    },
    children,
  }
}
