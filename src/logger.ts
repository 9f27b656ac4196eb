import { type DestinationStream, type Logger, pino } from 'pino'

// @NOTE Readable lines in a terminal, JSON lines otherwise (files, containers, CI). Anything that looks like a
// credential is redacted by path, so a stray `log.info({ config })` cannot leak a secret.
const REDACT_PATHS = [
  '*.password',
  '*.appSecret',
  '*.appKey',
  '*.accessToken',
  '*.accessSecret',
  '*.accessJwt',
  '*.refreshJwt',
  '*.authorization',
  '*.token',
  'secrets',
  '*.secrets',
  'headers.authorization',
]

export function createLogger(
  opts: { level?: string; json?: boolean; destination?: DestinationStream } = {},
): Logger {
  const json = opts.json ?? !process.stdout.isTTY
  const options = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(json
      ? {}
      : {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
          },
        }),
  }
  // A destination is for JSON lines (tests); the readable form runs in pino-pretty's own thread.
  return opts.destination && json ? pino(options, opts.destination) : pino(options)
}
