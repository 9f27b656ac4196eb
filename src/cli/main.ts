import { type ArgsDef, type CommandDef, defineCommand, runMain } from 'citty'
import pkg from '../../package.json' with { type: 'json' }
import { behindBoundary } from './user-errors.ts'

// @NOTE Each command lives in its own file and is loaded only when called, so `ngovoices --help`
// does not pay for sharp, satori or BullMQ. Every one is put behind the one error boundary as it loads.
const load = <A extends ArgsDef>(mod: Promise<{ default: CommandDef<A> }>) =>
  mod.then((m) => behindBoundary(m.default))
const main = defineCommand({
  meta: {
    name: 'ngovoices',
    version: pkg.version,
    description: 'Plan, render and post #NGOVoices quote-card threads to X and Bluesky',
  },
  subCommands: {
    validate: () => load(import('./validate.ts')),
    import: () => load(import('./import.ts')),
    render: () => load(import('./render.ts')),
    plan: () => load(import('./plan.ts')),
    post: () => load(import('./post.ts')),
    schedule: () => load(import('./schedule.ts')),
    worker: () => load(import('./worker.ts')),
    start: () => load(import('./start.ts')),
    status: () => load(import('./status.ts')),
    pause: () => load(import('./pause.ts')),
    resume: () => load(import('./resume.ts')),
    retry: () => load(import('./retry.ts')),
    cancel: () => load(import('./cancel.ts')),
    preview: () => load(import('./preview.ts')),
  },
})

await runMain(main)
