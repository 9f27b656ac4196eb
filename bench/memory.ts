import { peakRssMb } from './measure.ts'
import type { Section } from './report.ts'

// What a worker process holds: the peak RSS of each worker of the lateness runs (the sample bank, a card pool of
// one thread warmed at start, 120 posting jobs and their card jobs), read by the process itself as it stops.

const TARGET_MB = 250

export function memorySection(
  plain: number[],
  arena: number[],
  self?: { node: string; peaks: number[] },
): Section {
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ')
  const worst = (xs: number[]) => Math.max(...xs)
  const mark = (xs: number[]) => (worst(xs) <= TARGET_MB ? '✓' : '✗')
  return {
    title: 'Worker memory',
    intro:
      'Peak RSS of each of the two worker processes of the lateness runs above (`bench/lateness-worker.mjs`: the ' +
      "worker's code as built in dist/, the sample bank, one card-pool thread warmed at start, 120 posting jobs and their " +
      'card jobs), as VmHWM (`/proc/self/status`) when the process stops.',
    header: ['allocator setting', 'peak RSS per worker (MB)', 'target'],
    rows: [
      [
        'as installed (glibc malloc defaults; on a Node with no execve the worker keeps its young generations small itself)',
        `${fmt(plain)} ${mark(plain)}`,
        `≤ ${TARGET_MB} MB`,
      ],
      [
        "docker-compose's worker settings: `MALLOC_ARENA_MAX=1`, `NODE_OPTIONS=--max-semi-space-size=1`",
        `${fmt(arena)} ${mark(arena)}`,
        `≤ ${TARGET_MB} MB`,
      ],
      ...(self
        ? [
            [
              `as installed, on Node ${self.node}: the worker re-executes itself with those settings (bin/lean-memory.mjs)`,
              `${fmt(self.peaks)} ${mark(self.peaks)}`,
              `≤ ${TARGET_MB} MB`,
            ],
          ]
        : []),
    ],
    notes: [
      'Two JavaScript isolates per worker (the posting loop and its card-pool thread) each pay for Node and their ' +
        'own modules; the pool thread holds satori, resvg, sharp (libvips) and the parsed fonts, with a 4 MB ' +
        'young generation (render-pool.ts), and draws on its own thread with a full collection after each card it ' +
        "draws, which frees resvg's pixmaps (pool-thread.ts). The main thread no longer loads the renderer at all.",
    ],
    peakRssMb: peakRssMb(),
  }
}
