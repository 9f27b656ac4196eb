import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { localTime } from '../../queues/clock.ts'
import { readPlanFile, writePlanFile } from '../../src/calendar/plan-file.ts'
import { planCampaign } from '../../src/calendar/planner.ts'
import { loadBank } from '../../src/quotes/load.ts'
import { editQuotes, REDIS_URL, useHarness } from './helpers.ts'

const run = promisify(execFile)

// `ngovoices schedule <dir>`, the real command: syncs plan.yaml into Redis and says what changed.
describe('ngovoices schedule', () => {
  const h = useHarness()
  const schedule = async () => {
    const { stdout } = await run(process.execPath, ['bin/ngovoices.mjs', 'schedule', h.dir], {
      env: { ...process.env, REDIS_URL, NGOVOICES_QUEUE_PREFIX: h.q.prefix, LOG_LEVEL: 'warn' },
    })
    return stdout.split('\n')
  }

  it('adds, then changes nothing, then moves a moved slot and removes a withdrawn quote, printing each change', async () => {
    const bank = await loadBank(h.dir)
    await writePlanFile(h.dir, planCampaign(bank.campaign, bank.quotes))
    const plan = await readPlanFile(h.dir, bank.campaign.timezone)
    const slots = plan?.slots ?? []
    const jobs = slots.reduce((n, s) => n + s.platforms.length, 0)
    expect(jobs).toBeGreaterThan(4)

    const first = await schedule()
    expect(first[0]).toBe(`asp21 (times in Europe/Amsterdam): ${jobs} added, 0 moved, 0 removed, 0 unchanged`)
    expect(first.filter((l) => l.startsWith('  + asp21.'))).toHaveLength(jobs)
    // ASP21 was in 2022: every slot has passed, and the command says what will happen to them.
    expect(first).toContain(
      `  ! ${jobs} added post(s) are already past their slot: within the grace period they go out late, beyond it they are marked missed (\`ngovoices status\`)`,
    )
    expect((await schedule())[0]).toBe(
      `asp21 (times in Europe/Amsterdam): 0 added, 0 moved, 0 removed, ${jobs} unchanged`,
    )

    // Staff move the first thread by an hour in plan.yaml, and one organisation withdraws a quote.
    const [moved, withdrawn] = slots
    if (!plan || !moved || !withdrawn) throw new Error('the plan has fewer than two slots')
    const later = new Date(Date.parse(moved.at) + 3_600_000).toISOString()
    await writePlanFile(h.dir, { ...plan, slots: slots.map((s) => (s === moved ? { ...s, at: later } : s)) })
    await editQuotes(h.dir, (quotes) =>
      quotes.map((x) => (x.id === withdrawn.quoteId ? { ...x, consent: { status: 'withdrawn' } } : x)),
    )
    const third = await schedule()
    const m = moved.platforms.length
    const r = withdrawn.platforms.length
    expect(third[0]).toBe(
      `asp21 (times in Europe/Amsterdam): 0 added, ${m} moved, ${r} removed, ${jobs - m - r} unchanged`,
    )
    const local = (at: string) => localTime(Date.parse(at), 'Europe/Amsterdam')
    expect(third).toContain(
      `  ~ asp21.${moved.threadId}.${moved.platforms[0]}  ${local(moved.at)} → ${local(later)}`,
    )
    expect(third).toContain(
      `  - asp21.${withdrawn.threadId}.${withdrawn.platforms[0]}  (consent is withdrawn)`,
    )
    const job = await h.q.publish.x.getJob(`asp21.${moved.threadId}.x`)
    expect(Date.parse(job?.data.at ?? '')).toBe(Date.parse(later))
    // The reconcile sweep now runs every five minutes, once across all workers.
    expect((await h.q.sweep.getJobSchedulers()).map((s) => [s.key, s.pattern, s.tz])).toEqual([
      ['reconcile.asp21', '*/5 * * * *', 'Europe/Amsterdam'],
    ])
  })
})
