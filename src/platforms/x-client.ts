import { type Agent, Agent as HttpAgent } from 'node:http'
import { type ITwitterApiClientPlugin, TwitterApi } from 'twitter-api-v2'
import type { XSecrets } from '../config.ts'
import type { RequestGate } from './publisher.ts'

// @NOTE twitter-api-v2 has no base-URL or default-timeout option; both go in through its plugin hooks, which run
// before the OAuth 1.0a signature is computed, so a redirected request is signed for the host it really goes to.

export interface XClientOptions {
  /** Extra plugins, run after ours (tests: redirectPlugin to a local fake X). */
  plugins?: ITwitterApiClientPlugin[]
  /** Needed for an http:// target: the client always calls https.request, which takes http: only with an http agent. */
  httpAgent?: Agent
  /** Time limit per request; a post that runs out of time is ambiguous, not failed. Default 30 s. */
  timeoutMs?: number
  gate?: RequestGate
}

const DEFAULT_TIMEOUT_MS = 30_000
const X_HOSTS = [
  'https://api.x.com/',
  'https://upload.x.com/',
  'https://api.twitter.com/',
  'https://upload.twitter.com/',
]

/** Sends every request meant for X's API hosts to `base` instead (e.g. http://127.0.0.1:PORT/). */
function redirectPlugin(base: string): ITwitterApiClientPlugin {
  const to = base.endsWith('/') ? base : `${base}/`
  return {
    onBeforeRequestConfig({ params }) {
      const from = X_HOSTS.find((h) => params.url.startsWith(h))
      if (from) params.url = to + params.url.slice(from.length)
    },
  }
}

/**
 * X_API_BASE_URL sends every X request elsewhere (a test server, an egress proxy); the client signs for the host it
 * really calls. An http:// target needs an http agent, as twitter-api-v2 always calls https.request.
 */
export function xTarget(base: string | undefined): XClientOptions {
  if (!base) return {}
  return {
    plugins: [redirectPlugin(base)],
    ...(base.startsWith('http:') ? { httpAgent: new HttpAgent() } : {}),
  }
}

function gatePlugin(gate: RequestGate): ITwitterApiClientPlugin {
  return {
    async onBeforeRequestConfig() {
      await gate()
    },
  }
}

function timeoutPlugin(ms: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= ms
    },
  }
}

export function xClient(secrets: XSecrets, opts: XClientOptions = {}): TwitterApi {
  return new TwitterApi(
    {
      appKey: secrets.appKey,
      appSecret: secrets.appSecret,
      accessToken: secrets.accessToken,
      accessSecret: secrets.accessSecret,
    },
    {
      plugins: [
        ...(opts.gate ? [gatePlugin(opts.gate)] : []),
        timeoutPlugin(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        ...(opts.plugins ?? []),
      ],
      ...(opts.httpAgent ? { httpAgent: opts.httpAgent } : {}),
    },
  )
}
