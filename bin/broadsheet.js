#!/usr/bin/env node
// Entry point of the `broadsheet` command (and of `npm start`). It runs the compiled tree in
// build/ when that was made from the src/ that is here now (scripts/build.mjs, run by
// `npm install`); after an edit to src/ it rebuilds first (about 0.3 s), and if it cannot (no
// esbuild, a read-only folder, a syntax error) it runs src/ through tsx, as it always did.
import module from 'node:module'
import { isBuildFresh } from '../scripts/build-state.mjs'

// Node 22.8+ keeps the compiled code of every module on disk between runs; older versions have no such cache.
module.enableCompileCache?.()

async function loadMain() {
  if (isBuildFresh()) return import('../build/cli/main.js')
  try {
    const { build } = await import('../scripts/build.mjs')
    await build()
    return await import('../build/cli/main.js')
  } catch {
    const { register } = await import('tsx/esm/api')
    register()
    return import('../src/cli/main.ts')
  }
}

const { main } = await loadMain()
process.exitCode = await main(process.argv)
