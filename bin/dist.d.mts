// Types of dist.mjs for the TypeScript that uses it (test/build-dist.ts, bench/startup.ts).
export declare const STAMP: string
export declare function staleBuild(): string | undefined
export declare function ensureBuilt(): void
