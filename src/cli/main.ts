import { runMain } from 'citty'
import { main } from './commands.ts'

await runMain(main)
