import { stat } from 'node:fs/promises'
import { defineCommand } from 'citty'
import { readPlanFile } from '../calendar/plan-file.ts'
import { uncoveredCharacters } from '../cards/coverage.ts'
import { footerOverflow } from '../cards/footer.ts'
import { formatProblem, InputError, type Problem } from '../core/problem.ts'
import { type CheckedFiles, validateBank, validateFiles } from '../quotes/load.ts'
import { memoised } from '../quotes/rules.ts'
import { formatSummary, summarise } from '../quotes/summary.ts'

async function check(paths: string[]): Promise<CheckedFiles> {
  const [only] = paths
  const isDir =
    paths.length === 1 && only !== undefined && (await stat(only).catch(() => undefined))?.isDirectory()
  const opts = { uncovered: memoised(uncoveredCharacters), footer: footerOverflow }
  if (!isDir || only === undefined) return validateFiles(paths, opts)
  const checked = await validateBank(only, opts)
  return { ...checked, problems: [...checked.problems, ...(await planProblems(only, checked))] }
}

/** The folder's plan.yaml, when there is one, read as `plan` and the worker read it (its times in the zone). */
async function planProblems(dir: string, checked: CheckedFiles): Promise<Problem[]> {
  if (!checked.campaign) return []
  try {
    return (await readPlanFile(dir, checked.campaign.timezone))?.fileWarnings ?? []
  } catch (err) {
    if (err instanceof InputError) return err.problems
    throw err
  }
}

export default defineCommand({
  meta: {
    name: 'validate',
    description:
      'Check a quote bank (a folder, or campaign/quotes files) and list every problem with file:line:col',
  },
  args: {
    paths: {
      type: 'positional',
      required: false,
      description: 'a bank folder (campaign.yaml + quotes*.yaml|csv), or files; default: the current folder',
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  run: async ({ args }) => {
    const given = (args._ as string[]).length > 0 ? (args._ as string[]) : ['.']
    const checked = await check(given)
    const errors = checked.problems.filter((p) => p.severity === 'error')
    if (args.json) {
      const out = { ok: errors.length === 0, summary: summarise(checked), problems: checked.problems }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
      return errors.length === 0 ? 0 : 1
    }
    if (errors.length > 0) {
      for (const p of errors) process.stderr.write(`${formatProblem(p)}\n`)
      const left = new Set(errors.flatMap((p) => (p.quoteId ? [p.quoteId] : []))).size
      const out = left > 0 ? `; ${left} quote(s) left out of planning and posting until then` : ''
      process.stderr.write(`\n${errors.length} problem(s): fix them and run ngovoices validate again${out}\n`)
      return 1
    }
    process.stdout.write(`${formatSummary(checked)}\n✓ no problems\n`)
    return 0
  },
})
