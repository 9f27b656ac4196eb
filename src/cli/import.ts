import { readFile, stat, writeFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { defineCommand } from 'citty'
import { formatProblem, InputError, inputError } from '../core/problem.ts'
import { draftCsv, draftYaml, importStatement } from '../quotes/import.ts'

async function readStatement(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw new InputError(
      [
        {
          file,
          line: 0,
          col: 0,
          message: 'cannot read this file',
          fix: 'give the path of a plain-text statement',
          severity: 'error',
        },
      ],
      { cause: err },
    )
  }
}

export default defineCommand({
  meta: {
    name: 'import',
    description:
      'Turn a statement or press release (plain text) into a draft quote bank, every quote consent: pending',
  },
  args: {
    file: { type: 'positional', required: true, description: 'the statement, as a .txt file' },
    output: {
      type: 'string',
      alias: 'o',
      description: 'write the draft here, as YAML or (name ending .csv) CSV; default: print it',
    },
    force: { type: 'boolean', description: 'replace the output file if it exists' },
    title: { type: 'string', description: 'source title (default: the first line of the statement)' },
    url: { type: 'string', description: 'source URL, where the statement is published' },
    date: { type: 'string', description: 'source date, YYYY-MM-DD' },
    language: {
      type: 'string',
      description: 'language of the quotes (default: guessed per quote: en, fr or es)',
    },
  },
  run: async ({ args }) => {
    const shown = relative(process.cwd(), args.file) || args.file
    const result = importStatement(await readStatement(args.file), {
      file: shown,
      ...(args.title ? { title: args.title } : {}),
      ...(args.url ? { url: args.url } : {}),
      ...(args.date ? { date: args.date } : {}),
      ...(args.language ? { language: args.language } : {}),
    })
    const asCsv = args.output?.toLowerCase().endsWith('.csv') ?? false
    const draft = asCsv ? draftCsv(result) : draftYaml(result, shown)
    // A bank file is hand-edited for days: never overwrite one by accident.
    if (args.output && !args.force && (await stat(args.output).catch(() => undefined))) {
      throw inputError(
        args.output,
        'already exists',
        'choose another name (e.g. quotes-imported.yaml, also read by validate) or add --force to replace it',
      )
    }
    if (args.output) {
      await writeFile(args.output, draft).catch((err: unknown) => {
        throw inputError(args.output ?? '', 'cannot write the draft here', 'check that the folder exists', {
          cause: err,
        })
      })
    } else process.stdout.write(draft)
    for (const r of result.reports) process.stderr.write(`${formatProblem(r)}\n`)
    const where = args.output ? ` → ${args.output}` : ''
    process.stderr.write(
      `${result.quotes.length} quote(s) imported${where}, all consent: pending; ${result.reports.length} to check by hand\n`,
    )
    return result.quotes.length === 0 ? 1 : 0
  },
})
