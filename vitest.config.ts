import { defineConfig } from 'vitest/config'

// @NOTE Two projects. `unit`: no Redis, no network, no child process; it runs in seconds (`npm run test:unit`)
// and its Redis address points at a closed port, so a test that needs Redis cannot hide there. `integration`:
// the real Redis, a Bluesky PDS, the fake X server, Chromium and the CLI as a child process (run from dist/).
const INTEGRATION = [
  'test/{queues,browser,preview,cli,pds}/**/*.test.ts',
  'test/**/*cli.test.ts',
  'test/platforms/{bluesky,bluesky-failures,x,languages}.test.ts',
]

export default defineConfig({
  test: {
    // @NOTE Two cores on CI: the PDS, Redis and Chromium suites are heavy, so run two files at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          env: { REDIS_URL: 'redis://127.0.0.1:1' },
          // The unit files mock nothing and stub no globals, so each fork may keep its modules between files:
          // importing satori, resvg, sharp and the fonts again for every file was half of the run (21 s of 40).
          isolate: false,
        },
      },
      {
        extends: true,
        // They run the CLI, which runs the build: test/build-dist.ts brings dist/ up to date first.
        test: { name: 'integration', include: INTEGRATION, globalSetup: ['test/build-dist.ts'] },
      },
    ],
  },
})
