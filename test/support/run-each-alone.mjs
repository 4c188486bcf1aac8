// Runs every test of the given files by itself, one process each, and fails unless each passes
// alone: proof that no test leans on what an earlier one left behind.
//   node test/support/run-each-alone.mjs [--jobs N] test/comments.test.ts test/privacy.test.ts …
// A test inside a suite named "… on sqlite" / "… on postgres" runs with only that engine.
import { spawn } from 'node:child_process'
import path from 'node:path'

const reporter = path.join(import.meta.dirname, 'list-tests-reporter.mjs')
const args = process.argv.slice(2)
const jobsAt = args.indexOf('--jobs')
const jobs = jobsAt >= 0 ? Number(args.splice(jobsAt, 2)[1]) : 1
const files = args
if (files.length === 0) {
  console.error('usage: node test/support/run-each-alone.mjs [--jobs N] FILE.test.ts …')
  process.exit(2)
}

function run(file, pattern, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, `--test-name-pattern=${pattern}`, file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    child.on('close', (code) => {
      const tests = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
      resolve({ code, tests, out, err })
    })
  })
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const dialectOf = (suites) => suites.map((s) => /\bon (sqlite|postgres)\)?$/.exec(s)?.[1]).find(Boolean)

const cases = []
for (const file of files) {
  const listed = await run(file, '(?!)')
  if (listed.tests.length === 0) {
    console.error(`${file}: no tests found\n${listed.err}`)
    process.exit(1)
  }
  for (const t of listed.tests) cases.push({ file, ...t, dialect: dialectOf(t.suites) })
}

let failed = 0
let done = 0
const started = Date.now()
async function worker() {
  while (cases.length) {
    const c = cases.shift()
    const label = `${path.relative(process.cwd(), c.file)} › ${[...c.suites, c.name].join(' › ')}`
    const result = await run(c.file, `^${escape(c.name)}$`, c.dialect ? { BROADSHEET_TEST_DIALECTS: c.dialect } : {})
    const ran = result.tests.filter((t) => !t.skipped)
    const ok = result.code === 0 && ran.length === 1 && ran[0].ok
    done++
    if (!ok) failed++
    // Ran nothing: usually PostgreSQL did not answer in time and dialects.ts skipped it (see its stdout).
    const why = ran.length === 0 ? 'did not run: was its engine skipped?' : `exit ${result.code}, ran ${ran.length}`
    console.log(`${ok ? 'ok    ' : 'FAILED'} ${label}${ok ? '' : `  (${why})\n${result.err.slice(-3000)}`}`)
  }
}
await Promise.all(Array.from({ length: jobs }, worker))
console.log(`# ${done} tests run alone, ${done - failed} passed, ${failed} failed, in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(failed ? 1 : 0)
