import type { Hono } from 'hono'
import { planCsv } from '../calendar/csv.ts'
import { planIcs } from '../calendar/ics.ts'
import type { LiveModel } from './live-model.ts'
import type { Available, PreviewModel } from './model.ts'

export interface PlanDownloads {
  ics: () => string
  csv: () => string
}

/** The same files `ngovoices plan --ics / --csv` writes, made from the plan the page shows. */
export function planExports(model: PreviewModel): Available<PlanDownloads> {
  if (!model.plan.ok) return { ok: false, reason: model.plan.reason }
  if (!model.campaign.ok) return { ok: false, reason: model.campaign.reason }
  const { plan } = model.plan.value
  const campaign = model.campaign.value
  return {
    ok: true,
    value: { ics: () => planIcs(plan, campaign, model.quotes), csv: () => planCsv(plan, model.quotes) },
  }
}

export function mountExports(app: Hono, live: LiveModel): void {
  const download = (kind: keyof PlanDownloads, type: string) =>
    app.get(`/plan.${kind}`, (c) => {
      const model = live.current
      const ex = planExports(model)
      if (!ex.ok) return c.text(`The plan cannot be downloaded: ${ex.reason}`, 503)
      const campaign = model.campaign.ok ? model.campaign.value.id : 'plan'
      c.header('Content-Type', type)
      c.header('Content-Disposition', `attachment; filename="${campaign}-plan.${kind}"`)
      try {
        return c.body(ex.value[kind]())
      } catch (err) {
        return c.text(
          `The plan could not be exported: ${err instanceof Error ? err.message : String(err)}`,
          500,
        )
      }
    })
  download('ics', 'text/calendar; charset=utf-8')
  download('csv', 'text/csv; charset=utf-8')
}
