import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { AtpSessionData } from '@atproto/api'
import type { SessionStore } from './bluesky-session.ts'

// @NOTE A worker that restarts in a loop would spend the account's 30 logins per 5 minutes in no time;
// with the session on disk it resumes (one refreshSession) instead. The file holds tokens, so it is
// written owner-only (0600) and replaced atomically; an unreadable file just means "log in".

export function fileSessionStore(path: string): SessionStore {
  return {
    async load() {
      let text: string
      try {
        text = await readFile(path, 'utf8')
      } catch {
        return undefined
      }
      try {
        const data: unknown = JSON.parse(text)
        return isSession(data) ? data : undefined
      } catch {
        return undefined
      }
    },
    async save(session) {
      if (!session) {
        await rm(path, { force: true })
        return
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 })
      const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`
      await writeFile(tmp, JSON.stringify(session), { mode: 0o600 })
      await rename(tmp, path)
    },
  }
}

function isSession(data: unknown): data is AtpSessionData {
  if (typeof data !== 'object' || data === null) return false
  const s = data as Record<string, unknown>
  return (
    typeof s.accessJwt === 'string' &&
    typeof s.refreshJwt === 'string' &&
    typeof s.handle === 'string' &&
    typeof s.did === 'string' &&
    typeof s.active === 'boolean'
  )
}
