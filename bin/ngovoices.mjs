#!/usr/bin/env node
// @NOTE Runs the TypeScript sources directly through tsx, so `npx ngovoices` needs no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
