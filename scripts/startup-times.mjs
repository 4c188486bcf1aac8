// How long the tools people run take to start, over several runs (min / median / max):
// `broadsheet --help`, and `broadsheet serve` to its first answered GET / on a new data folder
// (migrations and the demo included) and on one that is already set up, and `npm start` likewise.
// Usage: node scripts/startup-times.mjs [runs=7]
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin/broadsheet.js')
const runs = Number(process.argv[2] ?? 7)

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function help() {
  const started = performance.now()
  const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`--help exited ${r.status}: ${r.stderr}`)
  return performance.now() - started
}

/** CPU milliseconds a process has used so far (Linux; undefined elsewhere): the work, whatever else the machine is doing. */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined
  }
}

/**
 * Milliseconds from spawning `broadsheet serve` (or `npm start`, npm's own start-up included) to
 * the first 200 for GET / (and, for `serve`, the server's CPU time until then).
 */
async function serve(dataDir, viaNpm = false) {
  const port = await freePort()
  const started = performance.now()
  const env = { ...process.env, BROADSHEET_DATA: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }
  // npm start runs the server in a shell of its own: it gets a process group, to stop it whole.
  const child = viaNpm
    ? spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: 'ignore', detached: true })
    : spawn(process.execPath, [bin, 'serve'], { env, stdio: 'ignore' })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}`)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`)
        if (res.status === 200) return { wall: performance.now() - started, cpu: viaNpm ? undefined : cpuMs(child.pid) }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  } finally {
    if (viaNpm) process.kill(-child.pid, 'SIGTERM')
    else child.kill('SIGTERM')
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)))
  }
}

function spread(times) {
  const sorted = [...times].sort((a, b) => a - b)
  const ms = (t) => `${Math.round(t)} ms`
  return `min ${ms(sorted[0])}, median ${ms(sorted[Math.floor(sorted.length / 2)])}, max ${ms(sorted.at(-1))}`
}

function summary(name, times) {
  const walls = times.map((t) => (typeof t === 'number' ? t : t.wall))
  const cpus = times.map((t) => t.cpu).filter((t) => t !== undefined)
  console.log(`${name}: ${spread(walls)} (${runs} runs)${cpus.length ? `; the server's CPU time until then: ${spread(cpus)}` : ''}`)
}

const helpTimes = []
for (let i = 0; i < runs; i++) helpTimes.push(help())
summary('broadsheet --help', helpTimes)

const fresh = []
const again = []
const npmFresh = []
for (let i = 0; i < runs; i++) {
  for (const [times, viaNpm] of [[fresh, false], [npmFresh, true]]) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-start-'))
    try {
      times.push(await serve(dataDir, viaNpm))
      if (!viaNpm) again.push(await serve(dataDir))
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
summary('broadsheet serve to first GET /, new data folder (migrations, demo)', fresh)
summary('broadsheet serve to first GET /, existing data folder', again)
summary('npm start to first GET /, new data folder', npmFresh)
