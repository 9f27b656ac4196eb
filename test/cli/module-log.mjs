// `node --import ./test/cli/module-log.mjs …` appends the URL of every module the process loads through the
// ES module loader (ours, and each package as it is first imported) to the file named by MODULE_LOG.
import { register } from 'node:module'

const hooks = `import { appendFileSync } from 'node:fs'
let file
export function initialize(path) { file = path }
export async function load(url, context, next) {
  appendFileSync(file, url + '\\n')
  return next(url, context)
}`

register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: process.env.MODULE_LOG })
