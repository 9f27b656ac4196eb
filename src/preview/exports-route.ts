import type { Hono } from 'hono'
import type { LiveModel } from './live-model.ts'
import type { Available, PreviewModel } from './model.ts'

export interface PlanDownloads {
  ics: () => string
  csv: () => string
}

// @TODO switch to the calendar module's ICS / CSV export functions when they land.
export function planExports(model: PreviewModel): Available<PlanDownloads> {
  if (!model.plan.ok) return { ok: false, reason: model.plan.reason }
  return { ok: false, reason: 'not available in this build yet' }
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
      return c.body(ex.value[kind]())
    })
  download('ics', 'text/calendar; charset=utf-8')
  download('csv', 'text/csv; charset=utf-8')
}
