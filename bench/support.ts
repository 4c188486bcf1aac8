/** Shared pieces of the benchmarks: a server in its own process, and autocannon runs. */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import autocannon from 'autocannon'
import { startServerProcess, waitFor, type ServerProcess } from '../test/support/server-process.ts'

export const root = path.resolve(import.meta.dirname, '..')

export type Server = ServerProcess

/** Starts `broadsheet serve` on a free port and waits until /healthz answers (see test/support/server-process.ts). */
export function startServer(env: Record<string, string>): Promise<Server> {
  return startServerProcess(env)
}

/** Runs node with these arguments, killed when the benchmark exits, once `readyUrl` answers. */
export async function startProcess(args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  process.on('exit', () => child.kill('SIGKILL'))
  await waitFor(readyUrl)
  return child
}

export function run(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon(options)
}
