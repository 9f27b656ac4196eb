import { describe, expect, it } from 'vitest'
import { formatReport, runChaos } from '../chaos/campaign.ts'

// Issue 15, Must show 5: a short chaos run. Three worker processes post 20 threads on both platforms through
// fault proxies (429s, 5xx before and after the request took effect, cut connections, hangs), a worker is
// SIGKILLed every few seconds, Redis is killed and restarted once. What the PDS and the fake X hold afterwards,
// read back: every part once, every reply under the part before it, and every thread that did not finish by
// itself was marked unconfirmed, then finished by a retry.
describe('chaos', () => {
  it('20 threads, ≥ 10 SIGKILLs, a Redis restart, faults on: 0 duplicates, 0 lost, 0 broken chains', async () => {
    const report = await runChaos({
      seed: 20261130,
      threads: 20,
      workers: 3,
      spreadMs: 30_000,
      killEveryMs: [1500, 3500],
      minKills: 10,
      faultRate: 0.06,
      timeoutMs: 2000,
      capMs: 150_000,
      area: 'chaos-test',
    })
    process.stdout.write(`${formatReport(report)}\n`)
    expect(report.threads).toBeGreaterThanOrEqual(20)
    expect(report.kills).toBeGreaterThanOrEqual(10)
    expect(report.redisRestarts).toBe(1)
    expect(Object.values(report.faults).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0)
    expect({
      duplicates: report.duplicates,
      lost: report.lost,
      brokenChains: report.brokenChains,
      stray: report.stray,
      unfinished: report.unfinished,
      failedOther: report.failedOther,
      found: report.postsFound,
    }).toEqual({
      duplicates: 0,
      lost: 0,
      brokenChains: 0,
      stray: 0,
      unfinished: 0,
      failedOther: 0,
      found: report.postsExpected,
    })
  }, 180_000)
})
