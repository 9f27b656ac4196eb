import { AtpAgent, type AtpSessionData, type AtpSessionEvent } from '@atproto/api'
import type { Logger } from 'pino'
import type { BlueskySecrets } from '../config.ts'
import { toPublishError } from './bluesky-errors.ts'
import { PermanentError, RateLimitedError } from './errors.ts'

// @NOTE createSession is the scarcest call Bluesky has (30 per 5 min, 300 a day per account): a publisher
// logs in once, then lives on its refresh token. The agent renews an expired access token by itself;
// `refresh()` renews ahead of time (node-cron housekeeping), and a session store lets a restarted
// process resume instead of logging in again. Tokens are never logged.

/** Where a session survives a restart. It holds tokens: keep it as private as the app password. */
export interface SessionStore {
  load(): Promise<AtpSessionData | undefined>
  save(session: AtpSessionData | undefined): Promise<void>
}

export interface SessionOptions {
  /** A fetch to use instead of the global one (tests count calls or route through a proxy with it). */
  fetch?: typeof globalThis.fetch
  /**
   * Time limit per request, every request the agent makes: login, refresh and resume as well as posts and
   * lookups. A write that runs out of time is ambiguous, not failed. Default 30 s.
   */
  timeoutMs?: number
  store?: SessionStore
  logger?: Logger
}

const DEFAULT_TIMEOUT_MS = 30_000

/**
 * Every request the agent makes gets a time limit, whatever the call: @atproto/api sets none of its own, so a
 * session refresh that never answers would hold a job for the HTTP client's default of minutes.
 */
function timedFetch(base: typeof globalThis.fetch, ms: number): typeof globalThis.fetch {
  return (input, init) => {
    // The agent hands over a Request whose own signal (a caller's) must still count.
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    const limit = AbortSignal.timeout(ms)
    return base(input, { ...init, signal: own ? AbortSignal.any([own, limit]) : limit })
  }
}

export class BlueskySession {
  readonly agent: AtpAgent
  /** createSession calls made by this session, for logs and tests. */
  logins = 0
  private loggingIn: Promise<void> | undefined
  /** After a 429 on login, no new login is tried before this. */
  private loginBlocked: RateLimitedError | undefined
  /** Store writes, in the order the agent reported them; awaited before start/refresh/login return. */
  private saving: Promise<void> = Promise.resolve()

  constructor(
    private readonly secrets: BlueskySecrets,
    private readonly opts: SessionOptions = {},
  ) {
    this.agent = new AtpAgent({
      service: secrets.service,
      fetch: timedFetch(opts.fetch ?? globalThis.fetch, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      persistSession: (event, session) => this.persist(event, session),
    })
  }

  /** The posting account's DID. */
  get did(): string {
    const did = this.agent.session?.did
    if (did === undefined) throw new PermanentError('Bluesky: no session (start() was not awaited)')
    return did
  }

  get handle(): string {
    return this.agent.session?.handle ?? this.secrets.identifier
  }

  /** What a log line shows of a session: who, never the tokens or the password. */
  toJSON(): { handle: string; did: string | undefined } {
    return { handle: this.handle, did: this.agent.session?.did }
  }

  /** Resume a stored session of this account when there is one, else log in. */
  async start(): Promise<void> {
    const saved = await this.opts.store?.load()
    if (saved && this.isOurs(saved)) {
      try {
        await this.agent.resumeSession(saved)
        await this.saving
        this.opts.logger?.info({ handle: saved.handle, did: saved.did }, 'bluesky: session resumed')
        return
      } catch (err) {
        // Still set after a network failure: the stored session stays good, the next call retries.
        if (this.agent.hasSession) throw toPublishError(err, 'login', 'resume session')
      }
    }
    await this.login()
  }

  /** Before each call: a session exists (after a refresh token expired or was revoked, log in again). */
  async ensure(): Promise<void> {
    if (!this.agent.hasSession) await this.login()
  }

  /** Renew the tokens now (cheap: refreshSession, not createSession). Meant for a periodic job. */
  async refresh(): Promise<void> {
    if (!this.agent.hasSession) return this.login()
    try {
      await this.agent.sessionManager.refreshSession()
      await this.saving
    } catch (err) {
      // The agent drops a session whose refresh token was refused; anything else is passing.
      if (!this.agent.hasSession) return this.login()
      throw toPublishError(err, 'read', 'session refresh')
    }
  }

  private login(): Promise<void> {
    // One login at a time, however many posts wait for it.
    this.loggingIn ??= this.loginOnce().finally(() => {
      this.loggingIn = undefined
    })
    return this.loggingIn
  }

  private async loginOnce(): Promise<void> {
    if (this.loginBlocked && this.loginBlocked.until.getTime() > Date.now()) throw this.loginBlocked
    this.logins++
    try {
      await this.agent.login({ identifier: this.secrets.identifier, password: this.secrets.password })
      this.loginBlocked = undefined
      await this.saving
    } catch (err) {
      const failure = toPublishError(err, 'login', 'login')
      if (failure instanceof RateLimitedError) this.loginBlocked = failure
      throw failure
    }
  }

  private isOurs(saved: AtpSessionData): boolean {
    // @NOTE A session left by another account (BLUESKY_HANDLE changed) must never post for this one.
    const id = this.secrets.identifier.toLowerCase()
    return saved.handle.toLowerCase() === id || saved.did === this.secrets.identifier
  }

  private persist(event: AtpSessionEvent, session: AtpSessionData | undefined): void {
    const log = this.opts.logger
    const who = { handle: session?.handle ?? this.secrets.identifier, did: session?.did }
    if (event === 'create') log?.info(who, 'bluesky: logged in')
    else if (event === 'update') log?.debug(who, 'bluesky: session refreshed')
    else if (event === 'expired') log?.warn(who, 'bluesky: session expired; the next call logs in again')
    else if (event === 'network-error') log?.warn(who, 'bluesky: could not refresh the session (network)')
    const store = this.opts.store
    if (!store || event === 'network-error' || event === 'create-failed') return
    // @NOTE Chained, so an older write never lands after a newer one; a failed write costs a login later, no more.
    this.saving = this.saving
      .then(() => store.save(session))
      .catch((err: unknown) => {
        log?.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'bluesky: could not store the session',
        )
      })
  }
}
