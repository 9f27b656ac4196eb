// Arguments and outputs several commands share, declared once so their help reads the same everywhere.

export const bankDirArg = {
  type: 'positional',
  required: false,
  default: '.',
  description: 'campaign folder (campaign.yaml, quotes)',
} as const

/** Prints what a thread command did; a thread nobody knows is the user's mistake (exit 1). */
export function reportThreadAction(command: string, thread: string, lines: string[]): number {
  if (lines.length === 0) {
    process.stderr.write(`ngovoices ${command}: no thread named ${thread}; \`ngovoices status\` lists them\n`)
    return 1
  }
  process.stdout.write(`${lines.join('\n')}\n`)
  return 0
}
