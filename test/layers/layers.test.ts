import { createRequire } from 'node:module'
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser'
import { describe, expect, it } from 'vitest'

// The layer check that `npm test` runs (npm run layers), shown failing on a deliberate back-edge: a copy of the
// tree's shape under test/layers/fixture where src/quotes imports queues/.
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  forbidden: IForbiddenRuleType[]
}

async function violations(paths: string[]): Promise<string[]> {
  const result = await cruise(paths, {
    ruleSet: { forbidden: config.forbidden },
    validate: true,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  })
  if (typeof result.output === 'string') throw new Error('expected the cruise result as an object')
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
}

describe('layers', () => {
  it('an input-layer module importing the queues is a violation', async () => {
    expect(await violations(['test/layers/fixture'])).toEqual([
      'input-imports-upward: test/layers/fixture/src/quotes/back-edge.ts → test/layers/fixture/queues/sync.ts',
    ])
  })

  it('the project itself has none', async () => {
    expect(await violations(['src', 'queues'])).toEqual([])
  })
})
