import type { Plan } from './types.ts'

// @TODO (calendar issue) implement; keep these signatures.
export const PLAN_FILE = 'plan.yaml'

/** Reads `<dir>/plan.yaml`; undefined when there is none yet. Bad edits throw InputError with file:line. */
export async function readPlanFile(_dir: string, _timezone: string): Promise<Plan | undefined> {
  throw new Error('readPlanFile: not implemented yet')
}

export async function writePlanFile(_dir: string, _plan: Plan): Promise<string> {
  throw new Error('writePlanFile: not implemented yet')
}
