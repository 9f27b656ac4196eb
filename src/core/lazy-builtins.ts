import { createRequire } from 'node:module'

// @NOTE node:crypto and node:zlib, loaded at first use rather than at import: `validate`, the command run most
// often by hand, needs neither (it hashes no font, writes no plan and reads fonts' facts from the build), and
// loading each costs some 20 to 30 M instructions at every start that does (callgrind, Node 20 and 24).

const require = createRequire(import.meta.url)

export const lazyCrypto = (): typeof import('node:crypto') =>
  require('node:crypto') as typeof import('node:crypto')
export const lazyZlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib')
