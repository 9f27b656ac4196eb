import net from 'node:net'

// @NOTE @atproto/dev-env's PLC and PDS call `app.listen(port)` with no host, which binds every interface.
// Test servers must only be reachable from this machine, so a listen() without a host gets 127.0.0.1.
// Imported for its side effect before any dev-env server starts; vitest runs each file in its own
// process (pool: forks), so the patch stays inside the test that asked for it.

const LOOPBACK = '127.0.0.1'
const PATCHED = Symbol.for('ngovoices.bindLocalhost')

type Listen = (this: net.Server, ...args: unknown[]) => net.Server

function withLoopback(args: unknown[]): unknown[] {
  const [first, second] = args
  // listen() / listen(cb): an ephemeral port on every interface by default.
  if (first === undefined || typeof first === 'function')
    return [0, LOOPBACK, ...args.slice(first === undefined ? 1 : 0)]
  // listen(port[, host][, backlog][, cb]): a host, when given, is a string in second place.
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof second === 'string' ? args : [first, LOOPBACK, ...args.slice(1)]
  }
  // listen(options[, cb]): leave unix sockets, handles and explicit hosts alone.
  if (
    typeof first === 'object' &&
    first !== null &&
    !('path' in first) &&
    !('fd' in first) &&
    !('_handle' in first)
  ) {
    const opts = first as net.ListenOptions
    if (opts.host === undefined) return [{ ...opts, host: LOOPBACK }, ...args.slice(1)]
  }
  return args
}

const proto = net.Server.prototype as net.Server & { [PATCHED]?: true }
if (!proto[PATCHED]) {
  const original = proto.listen as unknown as Listen
  const patched: Listen = function (this: net.Server, ...args: unknown[]) {
    return original.apply(this, withLoopback(args))
  }
  proto.listen = patched as unknown as net.Server['listen']
  proto[PATCHED] = true
}
