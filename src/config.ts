import { config as loadDotenv } from 'dotenv'
import * as z from 'zod'
import { InputError } from './core/problem.ts'

// @NOTE Two steps, as in atproto's PDS: read the raw environment (plus .env), then build a typed config
// that fails at start-up with one line per bad variable. Secrets stay in `secrets` and are never logged.

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

const envSchema = z.object({
  REDIS_URL: z.string().url().optional(),
  NGOVOICES_PUBLISHER: z.enum(['outbox', 'x', 'bluesky', 'live']).default('outbox'),
  NGOVOICES_OUTBOX_DIR: z.string().default('outbox'),
  NGOVOICES_CACHE_DIR: z.string().default('.ngovoices/cache'),
  NGOVOICES_GRACE_MINUTES: z.coerce.number().int().min(0).default(30),
  NGOVOICES_QUEUE_PREFIX: z.string().default('ngovoices'),
  PREVIEW_PORT: z.coerce.number().int().min(0).max(65535).default(4173),
  PREVIEW_TOKEN: z.string().min(16, 'PREVIEW_TOKEN must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  LOG_JSON: bool.optional(),
  X_API_KEY: z.string().min(1).optional(),
  X_API_SECRET: z.string().min(1).optional(),
  X_ACCESS_TOKEN: z.string().min(1).optional(),
  X_ACCESS_SECRET: z.string().min(1).optional(),
  X_API_BASE_URL: z.string().url().optional(),
  NGOVOICES_PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  BLUESKY_SERVICE: z.string().url().default('https://bsky.social'),
  BLUESKY_HANDLE: z.string().min(1).optional(),
  BLUESKY_APP_PASSWORD: z.string().min(1).optional(),
})

export interface XSecrets {
  appKey: string
  appSecret: string
  accessToken: string
  accessSecret: string
}
export interface BlueskySecrets {
  service: string
  identifier: string
  password: string
}

export interface Config {
  redisUrl?: string
  publisher: 'outbox' | 'x' | 'bluesky' | 'live'
  outboxDir: string
  cacheDir: string
  graceMinutes: number
  queuePrefix: string
  previewPort: number
  previewToken?: string
  logLevel: string
  logJson?: boolean
  /** Where X's API requests go instead of api.x.com / upload.x.com (a test server, an egress proxy). */
  xApiBaseUrl?: string
  /** Time limit of every platform request (posts, uploads, lookups, login, refresh); a post that runs out is ambiguous. */
  platformTimeoutMs: number
  secrets: { x?: XSecrets; bluesky?: BlueskySecrets }
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Config {
  if (env === process.env) loadDotenv({ path: dotenvPath, quiet: true })
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues.map((i) => ({
        file: 'environment',
        line: 0,
        col: 0,
        message: `${i.path.join('.')}: ${i.message}`,
        fix: 'set it in the environment or .env; see the table in README.md',
        severity: 'error',
      })),
    )
  }
  const e = parsed.data
  const xParts = [e.X_API_KEY, e.X_API_SECRET, e.X_ACCESS_TOKEN, e.X_ACCESS_SECRET]
  const problems: string[] = []
  const x =
    e.X_API_KEY && e.X_API_SECRET && e.X_ACCESS_TOKEN && e.X_ACCESS_SECRET
      ? {
          appKey: e.X_API_KEY,
          appSecret: e.X_API_SECRET,
          accessToken: e.X_ACCESS_TOKEN,
          accessSecret: e.X_ACCESS_SECRET,
        }
      : undefined
  if (!x && xParts.some(Boolean))
    problems.push('X credentials: set all four of X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET')
  const bluesky =
    e.BLUESKY_HANDLE && e.BLUESKY_APP_PASSWORD
      ? { service: e.BLUESKY_SERVICE, identifier: e.BLUESKY_HANDLE, password: e.BLUESKY_APP_PASSWORD }
      : undefined
  if (!bluesky && (e.BLUESKY_HANDLE || e.BLUESKY_APP_PASSWORD))
    problems.push('Bluesky: set both BLUESKY_HANDLE and BLUESKY_APP_PASSWORD')
  if ((e.NGOVOICES_PUBLISHER === 'x' || e.NGOVOICES_PUBLISHER === 'live') && !x && !problems.length)
    problems.push(`NGOVOICES_PUBLISHER=${e.NGOVOICES_PUBLISHER} needs the four X_* credentials`)
  if (e.NGOVOICES_PUBLISHER === 'bluesky' && !bluesky)
    problems.push('NGOVOICES_PUBLISHER=bluesky needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD')
  if (problems.length > 0) {
    throw new InputError(
      problems.map((message) => ({
        file: 'environment',
        line: 0,
        col: 0,
        message,
        fix: 'see the environment table in README.md',
        severity: 'error',
      })),
    )
  }
  return {
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    publisher: e.NGOVOICES_PUBLISHER,
    outboxDir: e.NGOVOICES_OUTBOX_DIR,
    cacheDir: e.NGOVOICES_CACHE_DIR,
    graceMinutes: e.NGOVOICES_GRACE_MINUTES,
    queuePrefix: e.NGOVOICES_QUEUE_PREFIX,
    previewPort: e.PREVIEW_PORT,
    ...(e.PREVIEW_TOKEN ? { previewToken: e.PREVIEW_TOKEN } : {}),
    logLevel: e.LOG_LEVEL,
    ...(e.LOG_JSON !== undefined ? { logJson: e.LOG_JSON } : {}),
    ...(e.X_API_BASE_URL ? { xApiBaseUrl: e.X_API_BASE_URL } : {}),
    platformTimeoutMs: e.NGOVOICES_PLATFORM_TIMEOUT_MS,
    secrets: { ...(x ? { x } : {}), ...(bluesky ? { bluesky } : {}) },
  }
}
