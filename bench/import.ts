/**
 * WordPress import and export at newsroom scale: a generated WXR file of 10,000 posts and
 * 100,000 comments (threaded, mixed statuses, classic and block content, categories and tags)
 * in a temporary folder, imported into an empty SQLite site in a child process (so peak RSS is
 * the import's own: the real `broadsheet` command, RSS followed in /proc), then exported. Prints items/s, time and peak RSS, min/median/max over runs.
 * Targets: import < 60 s and < 300 MB peak RSS; export < 30 s.
 *
 *   npm run bench:import [-- --posts 10000 --comments 100000 --runs 1]
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { root, spread } from './support.ts'
import { writeWxr } from './wxr-generator.ts'

const { values: args } = parseArgs({
  options: {
    posts: { type: 'string', default: '10000' },
    comments: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    /** Only write the generated file here (to profile an import by hand). */
    generate: { type: 'string' },
  },
})


async function parent(): Promise<void> {
  const posts = Number(args.posts)
  const comments = Number(args.comments)
  const runs = Number(args.runs)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-import-'))
  try {
    const file = path.join(tmp, 'generated.xml')
    const t0 = performance.now()
    writeWxr(file, posts, comments)
    const size = fs.statSync(file).size
    console.log(`generated ${posts} posts, ${comments} comments: ${(size / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const imports: { seconds: number; rssMb: number; cpuSeconds: number }[] = []
    const exports: { seconds: number; rssMb: number; cpuSeconds: number }[] = []
    for (let run = 0; run < runs; run++) {
      const dir = path.join(tmp, `site-${run}`)
      fs.mkdirSync(dir)
      imports.push(await runChild('import', file, dir))
      exports.push(await runChild('export', path.join(dir, 'export.xml'), dir))
      fs.rmSync(dir, { recursive: true, force: true })
    }
    const items = posts + comments
    const line = (label: string, xs: number[], unit: string, digits = 1) => console.log(`${label}: min / median / max ${spread(xs, digits)} ${unit}`)
    console.log(`runs: ${runs}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times stretch on a shared machine; CPU time does not)`)
    line('import time', imports.map((r) => r.seconds), 's')
    line('import CPU time', imports.map((r) => r.cpuSeconds), 's')
    line('import rate', imports.map((r) => items / r.seconds), 'items/s', 0)
    line('import peak RSS', imports.map((r) => r.rssMb), 'MB', 0)
    line('export time', exports.map((r) => r.seconds), 's')
    line('export CPU time', exports.map((r) => r.cpuSeconds), 's')
    line('export peak RSS', exports.map((r) => r.rssMb), 'MB', 0)
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

/**
 * Runs the real command (`bin/broadsheet.js import|export wordpress FILE`) on a fresh SQLite site
 * in `dir`, timing it and following its peak RSS (VmHWM) in /proc while it runs.
 */
function runChild(kind: 'import' | 'export', file: string, dir: string): Promise<{ seconds: number; rssMb: number; cpuSeconds: number }> {
  const env = { ...process.env, BROADSHEET_DATA: dir, BROADSHEET_DEMO: '0', DATABASE_URL: `sqlite:${path.join(dir, 'broadsheet.db')}` }
  const t0 = performance.now()
  // Output is dropped: the progress lines would fill the benchmark's own.
  const command = spawn(process.execPath, [path.join(root, 'bin/broadsheet.js'), kind, 'wordpress', file], { env, stdio: 'ignore' })
  let peakKb = 0
  let cpuTicks = 0
  const watch = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${command.pid}/status`, 'utf8'))
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]))
      // utime and stime (fields 14 and 15, in clock ticks of 1/100 s): CPU the command used, whatever else the machine runs.
      const stat = fs.readFileSync(`/proc/${command.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      cpuTicks = Math.max(cpuTicks, Number(stat[11]) + Number(stat[12]))
    } catch {
      /* it has just ended */
    }
  }, 50)
  return new Promise((resolve, reject) => {
    command.on('error', reject)
    command.on('exit', (code) => {
      clearInterval(watch)
      if (code !== 0) reject(new Error(`broadsheet ${kind} wordpress exited with ${code}`))
      else resolve({ seconds: (performance.now() - t0) / 1000, rssMb: peakKb / 1024, cpuSeconds: cpuTicks / 100 })
    })
  })
}

// Last, so that every constant above is defined when the work starts.
if (args.generate) {
  writeWxr(args.generate, Number(args.posts), Number(args.comments))
} else {
  await parent()
}
