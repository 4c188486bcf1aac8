/**
 * @module The real `broadsheet serve` in a child process, for what is about the process itself:
 * kill -9 and restart (the crash test), a long soak, benchmarks. It listens on a free loopback
 * port and is ready once `/healthz` answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')
const BIN = path.join(root, 'bin/broadsheet.js')

export interface ServerProcess {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly process: ChildProcess
  /** What the server wrote to stderr (the last 20,000 characters), for a failing test's message. */
  errors(): string
  /** SIGKILL: the power cut. Resolves once the process is gone. */
  kill(): Promise<void>
  /** SIGTERM: a clean stop. Resolves once the process is gone. */
  stop(): Promise<void>
}

/** A port nobody listens on now (the kernel's pick), for a child process to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Starts `bin/broadsheet.js serve` with `env` over this process's environment and waits until
 * `/healthz` answers. The child is killed if this process exits first.
 * @example
 * const server = await startServerProcess({ BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0' })
 * await fetch(`${server.url}/`)
 * await server.kill()
 */
export async function startServerProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-20_000)))
  const killOnExit = () => child.kill('SIGKILL')
  process.on('exit', killOnExit)
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  void gone.then(() => process.off('exit', killOnExit))
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await gone
  }
  const server: ServerProcess = { url, process: child, errors: () => stderr, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') }
  const exited = gone.then(() => {
    throw new Error(`broadsheet serve exited (${child.exitCode ?? child.signalCode}) before it answered:\n${stderr}`)
  })
  try {
    await Promise.race([waitFor(`${url}/healthz`, readyTimeoutMs), exited])
  } catch (error) {
    await server.kill()
    throw error
  }
  exited.catch(() => {})
  return server
}

/** Waits until `url` answers 2xx, polling every 100 ms, at most `timeoutMs`. */
export async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}
