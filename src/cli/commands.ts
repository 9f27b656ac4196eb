import { type ArgsDef, type CommandDef, defineCommand } from 'citty'
import { projectVersion } from '../core/project-root.ts'

// @NOTE Each command lives in its own file and is loaded only when it runs or prints its own help: citty reads
// every subcommand's meta to list them, so `ngovoices --help` gets each one's line from here and never loads
// sharp, satori, BullMQ or atproto. The lines repeat each command's own `meta.description`; test/cli/help.test.ts
// holds the two equal. Every command is put behind the one error boundary (user-errors.ts) as it loads.

/**
 * A command known by name and help line, its module loaded when citty asks for its arguments or runs it. Only
 * `args` and `run` are passed through: no command of ours has `setup`, `cleanup` or subcommands.
 */
function lazy<A extends ArgsDef>(
  name: string,
  description: string,
  load: () => Promise<{ default: CommandDef<A> }>,
): CommandDef<A> {
  let loading: Promise<CommandDef<A>> | undefined
  const command = () =>
    (loading ??= Promise.all([load(), import('./user-errors.ts')]).then(([m, { behindBoundary }]) =>
      behindBoundary(m.default),
    ))
  return {
    meta: { name, description },
    args: async () => {
      const { args } = await command()
      // A command with no arguments of its own (pause, resume) has none to parse.
      return (typeof args === 'function' ? await args() : await args) ?? ({} as A)
    },
    run: async (ctx) => (await command()).run?.(ctx),
  }
}

/** Every command by name and help line: main.ts runs it, and so does `validate`'s script (bin/bundle.mjs). */
export const main = defineCommand({
  meta: {
    name: 'ngovoices',
    version: projectVersion(),
    description: 'Plan, render and post #NGOVoices quote-card threads to X and Bluesky',
  },
  subCommands: {
    validate: lazy(
      'validate',
      'Check a quote bank (a folder, or campaign/quotes files) and list every problem with file:line:col',
      () => import('./validate.ts'),
    ),
    import: lazy(
      'import',
      'Turn a statement or press release (plain text) into a draft quote bank, every quote consent: pending',
      () => import('./import.ts'),
    ),
    render: lazy(
      'render',
      'Render every quote card of a bank (all formats) with its alt text',
      () => import('./render.ts'),
    ),
    plan: lazy(
      'plan',
      'Plan the posting calendar and write plan.yaml beside the quote bank',
      () => import('./plan.ts'),
    ),
    post: lazy(
      'post',
      'Post one quote’s thread now (card, full quote, call to action); --dry-run shows the posts and their counts',
      () => import('./post.ts'),
    ),
    schedule: lazy(
      'schedule',
      'Sync the plan into Redis: add new threads, move changed ones, remove cancelled ones; never touch posted ones',
      () => import('./schedule.ts'),
    ),
    worker: lazy(
      'worker',
      'Post each thread at its time. Run as many as you like, on as many machines, sharing one Redis',
      () => import('./worker.ts'),
    ),
    start: lazy(
      'start',
      'Render, plan, schedule and post: a rehearsal of the week into the outbox, or with --live for real',
      () => import('./start.ts'),
    ),
    status: lazy(
      'status',
      'Posted, queued, failed and unconfirmed threads, each with its next action',
      () => import('./status.ts'),
    ),
    pause: lazy(
      'pause',
      'Stop all posting now, on every worker (a running thread stops before its next part)',
      () => import('./pause.ts'),
    ),
    resume: lazy(
      'resume',
      'Let every worker post again after `ngovoices pause`',
      () => import('./resume.ts'),
    ),
    retry: lazy(
      'retry',
      'Queue a failed, missed or unconfirmed thread again (it looks before re-posting a part)',
      () => import('./retry.ts'),
    ),
    cancel: lazy(
      'cancel',
      'Cancel a thread on every platform; it stays cancelled until `ngovoices retry`',
      () => import('./cancel.ts'),
    ),
    preview: lazy(
      'preview',
      'A local page with the week calendar, every card, thread previews and the queue; updates as you save',
      () => import('./preview.ts'),
    ),
  },
})
