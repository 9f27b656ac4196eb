import { defineCommand, runMain } from 'citty'

// @NOTE Each command lives in its own file and is loaded only when called, so `ngovoices --help`
// does not pay for sharp, satori or BullMQ.
const main = defineCommand({
  meta: {
    name: 'ngovoices',
    version: '0.1.0',
    description: 'Plan, render and post #NGOVoices quote-card threads to X and Bluesky',
  },
  subCommands: {
    validate: () => import('./validate.ts').then((m) => m.default),
    import: () => import('./import.ts').then((m) => m.default),
    render: () => import('./render.ts').then((m) => m.default),
    plan: () => import('./plan.ts').then((m) => m.default),
    post: () => import('./post.ts').then((m) => m.default),
    schedule: () => import('./schedule.ts').then((m) => m.default),
    worker: () => import('./worker.ts').then((m) => m.default),
    start: () => import('./start.ts').then((m) => m.default),
    status: () => import('./status.ts').then((m) => m.default),
    pause: () => import('./pause.ts').then((m) => m.default),
    resume: () => import('./resume.ts').then((m) => m.default),
    retry: () => import('./retry.ts').then((m) => m.default),
    cancel: () => import('./cancel.ts').then((m) => m.default),
    preview: () => import('./preview.ts').then((m) => m.default),
  },
})

await runMain(main)
