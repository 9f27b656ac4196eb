import { defineCommand, runMain } from 'citty'
import { behindBoundary } from '../../src/cli/user-errors.ts'
import { inputError } from '../../src/core/problem.ts'

// A command line with two commands that fail, put behind the CLI's boundary the way commands.ts does it.
const main = defineCommand({
  meta: { name: 'boundary-test' },
  subCommands: {
    bug: () =>
      behindBoundary(
        defineCommand({
          run() {
            const value: unknown = undefined
            // A bug: calling a method on undefined, as a real slip in a command would.
            return (value as { trim(): string }).trim()
          },
        }),
      ),
    mistake: () =>
      behindBoundary(
        defineCommand({
          run() {
            throw inputError(
              'campaign.yaml',
              'timezone "Mars/Olympus" is not an IANA time zone',
              'write Europe/Amsterdam',
            )
          },
        }),
      ),
  },
})

await runMain(main)
