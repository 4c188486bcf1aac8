/**
 * @module The `broadsheet` command for tests: in this process (`main(argv)` from
 * src/cli/main.ts, with its own environment and with what it writes to stdout and stderr
 * captured), or as the real binary in a child process for what is about the process itself
 * (exit codes, `--help`, one publish).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { main } from '../../src/cli/main.ts'

/** What a run of the command gave back. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const root = path.resolve(import.meta.dirname, '../..')
export const BIN = path.join(root, 'bin/broadsheet.js')

interface Output {
  stdout: string
  stderr: string
}

/**
 * The command's modules write to process.stdout and process.stderr. While a command runs in
 * `runCli`, those writes made on its behalf (in its async context) are captured; every other
 * write, the test runner's own among them, goes through untouched.
 */
const capture = new AsyncLocalStorage<Output>()

function routeWrites(stream: NodeJS.WriteStream, key: keyof Output): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => {
    const output = capture.getStore()
    if (!output) return write(chunk, encoding, callback)
    output[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8')
    const done = typeof encoding === 'function' ? encoding : callback
    if (done) process.nextTick(done)
    return true
  }) as typeof stream.write
}
routeWrites(process.stdout, 'stdout')
routeWrites(process.stderr, 'stderr')

/**
 * Runs `broadsheet ARGS…` in this process with `env` over this process's environment (as a child
 * would inherit it), and gives back its exit code and output.
 * @example
 * const { code, stdout } = await runCli(['publish', file], { BROADSHEET_DATA: dir })
 */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const output: Output = { stdout: '', stderr: '' }
  const code = await capture.run(output, () => main([process.execPath, BIN, ...args], { env: { ...process.env, ...env } }))
  return { code, ...output }
}

/**
 * Runs the real `bin/broadsheet.js ARGS…` (or another copy of it, `bin`) in a child process,
 * with `env` over this process's environment. Aborting `signal` kills it with SIGKILL (its code
 * is then null).
 */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}, bin = BIN, signal?: AbortSignal): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(signal && { signal, killSignal: 'SIGKILL' as const }) })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
    child.on('error', (error) => {
      if (error.name !== 'AbortError') reject(error)
    })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * Starts `bin/broadsheet.js ARGS…` and stops it (SIGTERM) once its standard output matches
 * `pattern`; answers the match. Fails after `timeoutMs` with what it printed.
 */
export function spawnUntil(args: readonly string[], env: Record<string, string>, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let done = false
    const timer = setTimeout(() => finish(new Error(`${args.join(' ')} printed no ${pattern} in ${timeoutMs} ms:\n${out}`)), timeoutMs)
    const finish = (result: RegExpExecArray | Error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      child.kill('SIGTERM')
      child.once('close', () => (result instanceof Error ? reject(result) : resolve(result)))
    }
    const look = (s: string) => {
      out += s
      const m = pattern.exec(out)
      if (m) finish(m)
    }
    child.stdout.setEncoding('utf8').on('data', look)
    child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s))
    child.on('error', (e) => finish(e))
    child.on('close', (code) => finish(new Error(`${args.join(' ')} exited with ${code} before printing ${pattern}:\n${out}`)))
  })
}
