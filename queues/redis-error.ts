// @NOTE The error alone, without ioredis: the CLI's error boundary (src/cli/user-errors.ts) knows it on every
// command, and loading a Redis client just for that would cost `validate` a fifth of its start-up.

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError'
}
