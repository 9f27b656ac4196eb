import './bind-localhost.ts'
import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import net from 'node:net'
import { join, resolve } from 'node:path'
import { AtpAgent } from '@atproto/api'
import { TestNetworkNoAppView } from '@atproto/dev-env'

// A real PLC + PDS (SQLite, no AppView) on 127.0.0.1, with an account that logs in by app password,
// as an NGO's comms account would. Shared by the Bluesky publisher tests and the queue tests.

export interface TestAccount {
  handle: string
  did: string
  /** The account's main password (the posting account logs in with an app password instead). */
  password: string
}

export interface TestPds {
  /** Base URL of the PDS (what BLUESKY_SERVICE would be). */
  service: string
  port: number
  /** The posting account: handle + an app password, never its main password. */
  handle: string
  password: string
  did: string
  /** Logged in as the posting account, for reading records back (listRecords / getRecord). */
  reader: AtpAgent
  /** Another account on the same PDS, e.g. someone a post mentions. */
  createAccount(name: string): Promise<TestAccount>
  /** Where the PDS keeps its data (inside test/.tmp). */
  dir: string
  close(): Promise<void>
}

/** A free port on 127.0.0.1 (dev-env's get-port would probe every interface); nothing listens on it after. */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', ok)
  })
  const address = server.address()
  await new Promise<void>((ok) => server.close(() => ok()))
  if (address === null || typeof address === 'string') throw new Error('freePort: no TCP address')
  return address.port
}

export interface TestPdsOptions {
  /** Names the temp folder: test/.tmp/<area>-<random>. */
  area?: string
  /** Turn on the PDS's own rate limits (createSession: 30 per 5 min per account), off by default. */
  rateLimits?: boolean
}

export async function startTestPds(opts: TestPdsOptions = {}): Promise<TestPds> {
  const dir = resolve('test', '.tmp', `${opts.area ?? 'pds'}-${randomBytes(5).toString('hex')}`)
  await mkdir(join(dir, 'tmp'), { recursive: true })
  await mkdir(join(dir, 'data'), { recursive: true })
  // @NOTE TestPds names its data folders after os.tmpdir(), which follows TMPDIR: keep them in our folder.
  const previousTmp = process.env.TMPDIR
  process.env.TMPDIR = join(dir, 'tmp')
  const [plcPort, pdsPort] = [await freePort(), await freePort()]
  let network: TestNetworkNoAppView
  try {
    network = await TestNetworkNoAppView.create({
      plc: { port: plcPort },
      pds: {
        port: pdsPort,
        dataDirectory: join(dir, 'data'),
        blobstoreDiskLocation: join(dir, 'blobs'),
        blobstoreDiskTmpLocation: join(dir, 'blobs-tmp'),
        rateLimitsEnabled: opts.rateLimits ?? false,
      },
    })
  } catch (err) {
    restoreTmp(previousTmp)
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const service = network.pds.url

  const createAccount = async (
    name: string,
  ): Promise<TestAccount & { password: string; agent: AtpAgent }> => {
    const agent = new AtpAgent({ service })
    const password = randomBytes(12).toString('hex')
    const handle = `${name}.test`
    const res = await agent.createAccount({ handle, email: `${name}@ngovoices.invalid`, password })
    return { handle, did: res.data.did, password, agent }
  }

  const main = await createAccount(`ngo${randomBytes(3).toString('hex')}`)
  const appPassword = await main.agent.com.atproto.server.createAppPassword({ name: 'ngovoices-test' })

  return {
    service,
    port: network.pds.port,
    handle: main.handle,
    password: appPassword.data.password,
    did: main.did,
    reader: main.agent,
    createAccount: async (name) => {
      const { handle, did, password } = await createAccount(name)
      return { handle, did, password }
    },
    dir,
    async close() {
      await network.close()
      restoreTmp(previousTmp)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function restoreTmp(previous: string | undefined): void {
  if (previous === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = previous
}
