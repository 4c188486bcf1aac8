// Runs every *.test.ts under src/ and test/ with node's test runner (through tsx).
// The files are listed here because Node 20 does not expand test globs itself.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) find(full, out)
    else if (name.endsWith('.test.ts')) out.push(full)
  }
  return out
}

const only = process.argv.slice(2)
const files = only.length ? only : ['src', 'test'].flatMap((d) => find(d)).sort()
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' })
process.exit(result.status ?? 1)
