import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { journalPublisher, REDIS_URL, until, useHarness } from './helpers.ts'

const run = promisify(execFile)

// `ngovoices status` (the real command, in its own process) over a namespace holding every kind of thread.
describe('ngovoices status', () => {
  const h = useHarness()
  it('shows posted, queued, failed and unconfirmed threads, each with its next action', async () => {
    const t0 = Date.now()
    const day = 24 * 3_600_000
    await h.schedule([
      { quoteId: 'cicc-resources-mandate', at: t0 },
      { quoteId: 'cicc-budget-fundamental-change', at: t0 + 300 },
      { quoteId: 'ajar-philippines-resume', at: t0 + 600 },
      { quoteId: 'alhaq-palestine-selectivity', at: t0 + day },
    ])
    // Calls 1–3 post Nur's thread; call 4 is refused for good; call 6 is lost after sending.
    const publisher = journalPublisher(h.journal, {
      faults: new Map([
        [4, 'permanent'],
        [6, 'ambiguous'],
      ]),
    })
    const workers = h.worker(publisher)
    await until(
      'three threads to finish',
      async () => (await h.q.publish.x.getJobCountByTypes('completed', 'failed')) === 3,
    )
    await workers.close()

    const { stdout } = await run(process.execPath, ['bin/ngovoices.mjs', 'status'], {
      env: { ...process.env, REDIS_URL, NGOVOICES_QUEUE_PREFIX: h.q.prefix, LOG_LEVEL: 'warn' },
    })
    const lines = stdout.split('\n')
    expect(lines[0]).toBe(`publishing: running   namespace: ${h.q.prefix}`)
    expect(lines[1]).toBe(
      'posted 1 · queued 1 · running 0 · retrying 0 · failed 1 · missed 0 · unconfirmed 1 · cancelled 0',
    )
    const block = (thread: string) => {
      const i = lines.findIndex((l) => l.endsWith(`  ${thread}`))
      return lines.slice(i, i + 3).join('\n')
    }
    expect(block('asp21-cicc-resources-mandate')).toMatch(
      /x\s+posted\s+asp21-cicc-resources-mandate\n\s+journal:\/\//,
    )
    expect(block('asp21-cicc-budget-fundamental-change')).toMatch(
      /failed\s+asp21-cicc-budget-fundamental-change\n\s+part 1: duplicate content \(0\/3 parts posted\)\n\s+→ fix the cause, then `ngovoices retry asp21-cicc-budget-fundamental-change`/,
    )
    expect(block('asp21-ajar-philippines-resume')).toMatch(
      /unconfirmed\s+asp21-ajar-philippines-resume\n\s+part 2 may or may not have been posted .*\n\s+→ check the x account, then `ngovoices retry asp21-ajar-philippines-resume` \(looks before posting\)/,
    )
    expect(block('asp21-alhaq-palestine-selectivity')).toMatch(
      /queued\s+asp21-alhaq-palestine-selectivity\n\s+not started\n\s+→ posts \w{3} \d+ \w{3} \d{4} \d\d:\d\d/,
    )
    // Sections in the order a person on call needs them.
    expect(lines.indexOf('Needs a person:')).toBeLessThan(lines.indexOf('Next posts:'))
    expect(lines.indexOf('Next posts:')).toBeLessThan(lines.indexOf('Done:'))
  })
})
