// What a build of src/ was made from, cheaply: every file's path, size and modification time,
// plus the build's own inputs (this folder's scripts, tsconfig.json, the versions of esbuild and
// of the packages bundled into build/vendor/).
// bin/broadsheet.js compares it with build/manifest.json at every start (about 2 ms), so a
// changed, added or deleted source file is never run from a stale build.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const sourceDir = path.join(root, 'src')
/** Beside src/, so that paths made from import.meta.url (`../../models/…`) resolve the same way. */
export const buildDir = path.join(root, 'build')
export const manifestFile = path.join(buildDir, 'manifest.json')

/** Changes whenever the layout of build/ or the way it is made changes. */
const FORMAT = 2

/**
 * Packages that build/ loads from one bundled file each (build/vendor/) instead of their own
 * many modules: kysely's ESM build is some 450 files, about 300 ms to load on this machine and
 * 25 ms as one file; zod's 150 ms and 60 ms. Only ESM packages that no other package imports, so
 * that each class exists once; the rest load from node_modules as they are.
 */
export const VENDORED = ['kysely', 'zod']

/** Files of src/ that the build takes (tests are run from source by tsx, never from build/). */
export function isBuildInput(relative) {
  return !relative.endsWith('.test.ts')
}

/** Relative paths (with "/") of every file under src/ that the build takes, sorted. */
export function sourceFiles() {
  const out = []
  const walk = (dir, prefix) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix + entry.name
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${relative}/`)
      else if (entry.isFile() && isBuildInput(relative)) out.push(relative)
    }
  }
  walk(sourceDir, '')
  return out.sort()
}

/** One line per input: `path size mtime`. Equal fingerprints mean build/ is up to date. */
export function fingerprint(files = sourceFiles()) {
  const lines = [`format ${FORMAT}`]
  const packages = ['esbuild', ...VENDORED].map((name) => `node_modules/${name}/package.json`)
  for (const extra of ['scripts/build.mjs', 'scripts/build-state.mjs', 'tsconfig.json', ...packages]) {
    lines.push(describe(extra, path.join(root, extra)))
  }
  for (const file of files) lines.push(describe(`src/${file}`, path.join(sourceDir, file)))
  return lines
}

function describe(name, full) {
  try {
    const s = statSync(full)
    return `${name} ${s.size} ${s.mtimeMs}`
  } catch {
    return `${name} missing`
  }
}

/** True when build/ was made from exactly the files that are in src/ now. */
export function isBuildFresh() {
  let manifest
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
  } catch {
    return false
  }
  const now = fingerprint()
  const then = manifest.inputs
  return Array.isArray(then) && then.length === now.length && then.every((line, i) => line === now[i])
}
