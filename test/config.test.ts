import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'
import { InputError } from '../src/core/problem.ts'

describe('readConfig', () => {
  it('defaults to the outbox publisher with no credentials', () => {
    const c = readConfig({})
    expect(c.publisher).toBe('outbox')
    expect(c.secrets).toEqual({})
  })

  it('names the missing X credentials without echoing the ones given', () => {
    let caught: unknown
    try {
      readConfig({ X_API_KEY: 'k-secret-value' })
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(InputError)
    const msg = (caught as InputError).message
    expect(msg).toContain('X_API_SECRET')
    expect(msg).not.toContain('k-secret-value')
  })
})
