// Runs every *.test.ts under src/ and test/ with node's test runner (through tsx).
// The files are listed here because Node 20 does not expand test globs itself.
//
// Files run as many at a time as there are cores (node's default is one less: one at a time on
// two cores), since much of their time is spent waiting on SQLite's and PostgreSQL's commits to
// disk rather than on a core. The files known to take longest start first, so that the short ones
// fill in beside them instead of a long one starting last. BROADSHEET_TEST_CONCURRENCY sets the
// number. More than the cores was tried (4 on 2): on a machine already busy, a file's start-up then
// waits long enough for test/support/dialects.ts's 2-second PostgreSQL probe to time out, and that
// file skips its PostgreSQL runs (fails them in CI).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from './build.mjs'

/** The longest-running files (a retrain of the shipped model; the Big List of Naughty Strings on both engines). */
const LONGEST_FIRST = ['test/spam-cli.test.ts', 'test/injection.test.ts', 'test/spam-quality.test.ts', 'test/privacy.test.ts']

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) find(full, out)
    else if (name.endsWith('.test.ts')) out.push(full)
  }
  return out
}

const only = process.argv.slice(2)
const rank = (file) => {
  const i = LONGEST_FIRST.indexOf(file.split(path.sep).join('/'))
  return i === -1 ? LONGEST_FIRST.length : i
}
const files = only.length ? only : ['src', 'test'].flatMap((d) => find(d)).sort().sort((a, b) => rank(a) - rank(b))
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}

// The CLI tests run bin/broadsheet.js, which runs build/: bring it up to date once here rather
// than in each of them. If it cannot be built, bin falls back to tsx and the tests still judge it.
try {
  await build()
} catch (error) {
  console.log(`# build/ not brought up to date (${error instanceof Error ? error.message.split('\n')[0] : error}); bin/broadsheet.js will use tsx`)
}

const concurrency = Number(process.env.BROADSHEET_TEST_CONCURRENCY) || Math.max(2, os.availableParallelism())
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], { stdio: 'inherit' })
process.exit(result.status ?? 1)
