import { type FSWatcher, watch } from 'node:fs'
import type { Logger } from 'pino'
import { buildModel, type PreviewModel } from './model.ts'

// @NOTE Editors save in bursts (write, rename, chmod), so changes are debounced, and rebuilds never overlap:
// a change during a rebuild schedules exactly one more, so the page always ends on the latest files.
const WATCHED = /\.(ya?ml|csv)$/i

export class LiveModel {
  private listeners = new Set<(m: PreviewModel) => void>()
  private watcher: FSWatcher | undefined
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false

  private constructor(
    private model: PreviewModel,
    private readonly debounceMs: number,
    private readonly log: Logger | undefined,
  ) {}

  static async open(
    dir: string,
    opts: { watch: boolean; debounceMs?: number; log?: Logger },
  ): Promise<LiveModel> {
    // Versions start from the clock, so a tab that outlived a restarted server sees a newer one and refreshes.
    const live = new LiveModel(await buildModel(dir, Date.now()), opts.debounceMs ?? 120, opts.log)
    if (opts.watch) {
      live.watcher = watch(dir, (_event, name) => {
        if (name === null || WATCHED.test(String(name))) live.schedule()
      })
      live.watcher.on('error', (err) => live.log?.warn({ err }, 'preview: watching the bank folder failed'))
    }
    return live
  }

  get current(): PreviewModel {
    return this.model
  }

  subscribe(fn: (m: PreviewModel) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Re-reads the files now (also what the watcher calls, after the debounce). */
  async refresh(): Promise<PreviewModel> {
    if (this.running) {
      this.again = true
      await this.running
      return this.model
    }
    this.running = (async () => {
      do {
        this.again = false
        this.model = await buildModel(this.model.dir, this.model.version + 1)
        this.log?.info(
          { version: this.model.version, problems: this.model.problems.length },
          'preview: reloaded',
        )
        for (const fn of this.listeners) fn(this.model)
      } while (this.again)
    })().finally(() => {
      this.running = undefined
    })
    await this.running
    return this.model
  }

  private schedule(): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.refresh().catch((err: unknown) => this.log?.error({ err }, 'preview: reload failed'))
    }, this.debounceMs)
  }

  close(): void {
    clearTimeout(this.timer)
    this.watcher?.close()
    this.listeners.clear()
  }
}
