// Compiles src/ into build/ once, so that `broadsheet` and `npm start` run JavaScript instead of
// transpiling the TypeScript tree at every start. `npm install` runs it (the prepare script);
// bin/broadsheet.js runs it again when src/ changed since (about 0.3 s).
//
// The output is the same tree as src/ (src/web/views/layout.ts → build/web/views/layout.js), one
// level under the project like src/, so that every path a module makes from import.meta.url
// (`../assets/site.css`, `../../models/spam-model.bin`, `../../../shared/data/…`) points where it
// does from src/; files that are not TypeScript (the stylesheet, the demo stories) are copied.
// Imports keep their place: each file is transpiled on its own by esbuild (the transpiler tsx
// uses, so the compiled code behaves as the tests saw it), `./x.ts` becomes `./x.js`, and
// packages are loaded from node_modules as before, but for the few in VENDORED
// (scripts/build-state.mjs), which load from one bundled file each in build/vendor/.
// Type-checking stays with `npm run typecheck`.
//
// Usage: node scripts/build.mjs [--prepare]   (--prepare: a failed build warns instead of failing
// the install; bin/broadsheet.js then runs src/ through tsx, which reports the error in place).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildDir, fingerprint, manifestFile, root, sourceDir, sourceFiles, VENDORED } from './build-state.mjs'

const vendorDir = path.join(buildDir, 'vendor')
const isVendored = (specifier) => VENDORED.some((name) => specifier === name || specifier.startsWith(`${name}/`))
/** build/vendor/kysely.js for `kysely`, build/vendor/kysely__helpers__postgres.js for `kysely/helpers/postgres`. */
const vendorName = (specifier) => specifier.replaceAll('/', '__')

/**
 * Leaves every import where it is, rewriting relative `.ts` specifiers to the `.js` beside them
 * and the vendored packages to their file in build/vendor/ (noting each in `vendored`).
 */
function keepImports(vendored) {
  return {
    name: 'keep-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined
        if (args.path.startsWith('./') || args.path.startsWith('../')) return { path: args.path.replace(/\.(m|c)?ts$/, '.$1js'), external: true }
        if (!isVendored(args.path)) return { path: args.path, external: true }
        vendored.add(args.path)
        const from = path.join(buildDir, path.relative(sourceDir, path.dirname(args.importer)))
        const relative = path.relative(from, path.join(vendorDir, `${vendorName(args.path)}.js`)).split(path.sep).join('/')
        return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true }
      })
    },
  }
}

/**
 * Brings build/ up to date with src/ and returns how many files it holds. Each file is replaced
 * by a rename, and the manifest is written last, so a process that runs while another builds
 * reads whole files, and two builds at once (tests starting several commands) agree.
 */
export async function build() {
  const files = sourceFiles()
  // Taken before anything is read: a file edited during the build leaves the build stale.
  const inputs = fingerprint(files)
  const { build: esbuild, stop } = await import('esbuild')
  const vendored = new Set()
  let result
  let vendor
  try {
    result = await esbuild({
      absWorkingDir: root,
      entryPoints: files.filter((f) => f.endsWith('.ts')).map((f) => path.join(sourceDir, f)),
      outbase: sourceDir,
      outdir: buildDir,
      bundle: true, // only so that keepImports sees every import; nothing is bundled
      plugins: [keepImports(vendored)],
      platform: 'node',
      format: 'esm',
      target: 'node20',
      tsconfig: path.join(root, 'tsconfig.json'),
      sourcemap: 'linked',
      write: false,
      logLevel: 'silent',
    })
    // One file per vendored import (chunks shared between them, so each module exists once).
    vendor = await esbuild({
      absWorkingDir: root,
      entryPoints: Object.fromEntries([...vendored].sort().map((specifier) => [vendorName(specifier), specifier])),
      outdir: vendorDir,
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    })
  } finally {
    await stop()
  }
  const outputs = new Map([...result.outputFiles, ...vendor.outputFiles].map((f) => [path.relative(buildDir, f.path).split(path.sep).join('/'), f.contents]))
  for (const file of files) if (!file.endsWith('.ts')) outputs.set(file, readFileSync(path.join(sourceDir, file)))

  const previous = readPreviousOutputs()
  for (const [file, contents] of outputs) writeIfChanged(path.join(buildDir, file), contents)
  for (const file of previous) if (!outputs.has(file)) rmSync(path.join(buildDir, file), { force: true })
  writeIfChanged(manifestFile, JSON.stringify({ inputs, outputs: [...outputs.keys()].sort() }, null, 1) + '\n')
  return outputs.size
}

function readPreviousOutputs() {
  try {
    return JSON.parse(readFileSync(manifestFile, 'utf8')).outputs ?? []
  } catch {
    return []
  }
}

function writeIfChanged(file, contents) {
  const bytes = typeof contents === 'string' ? Buffer.from(contents) : contents
  try {
    if (readFileSync(file).equals(bytes)) return
  } catch {
    // not there yet
  }
  mkdirSync(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, bytes)
  renameSync(temporary, file)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now()
  try {
    const count = await build()
    console.log(`build: ${count} files from src/ in build/ (${Math.round(performance.now() - started)} ms)`)
  } catch (error) {
    const message = `build: src/ not compiled: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : error}`
    if (process.argv.includes('--prepare')) console.warn(`${message}\n(bin/broadsheet.js will run src/ through tsx instead)`)
    else {
      console.error(message)
      process.exitCode = 1
    }
  }
}
