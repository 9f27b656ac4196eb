import './bind-localhost.ts'
import net from 'node:net'
import { describe, expect, it } from 'vitest'

// The preload that keeps dev-env's servers off the network: every way of calling listen() without a host.

async function boundAddress(listen: (server: net.Server, done: () => void) => void): Promise<string> {
  const server = net.createServer()
  await new Promise<void>((ok) => listen(server, ok))
  const address = server.address()
  await new Promise<void>((ok) => server.close(() => ok()))
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.address
}

describe('bind-localhost', () => {
  it('binds listen() without a host to 127.0.0.1, in every call form', async () => {
    expect(await boundAddress((s, ok) => s.listen(ok))).toBe('127.0.0.1')
    expect(await boundAddress((s, ok) => s.listen(0, ok))).toBe('127.0.0.1')
    expect(await boundAddress((s, ok) => s.listen(0, 511, ok))).toBe('127.0.0.1')
    expect(await boundAddress((s, ok) => s.listen({ port: 0 }, ok))).toBe('127.0.0.1')
  })

  it('leaves an explicit host alone', async () => {
    expect(await boundAddress((s, ok) => s.listen(0, '127.0.0.2', ok))).toBe('127.0.0.2')
    expect(await boundAddress((s, ok) => s.listen({ port: 0, host: '127.0.0.2' }, ok))).toBe('127.0.0.2')
  })
})
