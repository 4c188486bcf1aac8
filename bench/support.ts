/** Shared pieces of the benchmarks: a server in its own process, and autocannon runs. */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import autocannon from 'autocannon'

export const root = path.resolve(import.meta.dirname, '..')

export interface Server {
  readonly url: string
  readonly process: ChildProcess
}

/** Starts `broadsheet serve` on a free-ish port and waits until /healthz answers. */
export async function startServer(env: Record<string, string>): Promise<Server> {
  const port = 3900 + Math.floor(Math.random() * 500)
  const url = `http://127.0.0.1:${port}`
  const child = await startProcess([path.join(root, 'bin/broadsheet.js'), 'serve'], { PORT: String(port), LOG_LEVEL: 'warn', ...env }, `${url}/healthz`)
  return { url, process: child }
}

/** Runs node with these arguments, killed when the benchmark exits, once `readyUrl` answers. */
export async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  process.on('exit', () => child.kill('SIGKILL'))
  await waitFor(readyUrl)
  return child
}

export async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url} did not answer`)
}

export function run(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon(options)
}
