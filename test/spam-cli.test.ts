import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { LinearModel } from '../src/spam/index.ts'
import { commonFileOf, defaultModel, DEFAULT_MODEL_FILE, readModel } from '../src/spam-filter/default-model.ts'
import { runCli } from './support/cli.ts'

const root = path.resolve(import.meta.dirname, '..')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadsheet-spam-cli-'))
after(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The command in this process: these tests are about what it computes and prints, not about the process. */
const broadsheet = (args: string[]) => runCli(args, { BROADSHEET_DATA: dir })

// A small corpus written for this test: promotion versus discussion of local news.
const spamTexts = ['check out my channel and subscribe', 'free gift cards at http://free-gifts.tk', 'make money fast visit http://cash.biz', 'subscribe to my music channel please', 'cheap pills online http://pills.example.tk', 'follow me for free followers', 'win an iphone now http://win.example.tk', 'visit my page for deals']
const hamTexts = ['the council vote was closer than reported', 'the barrier held on our street too', 'which libraries were at risk in the draft', 'thanks for covering the flood', 'the figures in paragraph three look wrong', 'my neighbour was rescued by the fire service', 'when does the consultation close', 'good follow-up on the budget story']
const rows = [
  ...spamTexts.flatMap((t, i) => [0, 1].map((k) => ({ label: 'spam', comment_content: `${t} ${k ? 'now' : 'today'}`, comment_author: `Promo ${i}` }))),
  ...hamTexts.flatMap((t, i) => [0, 1].map((k) => ({ label: 'ham', comment_content: `${t}${k ? ', I think' : '.'}`, comment_author: `Reader ${i}` }))),
]
const corpus = path.join(dir, 'small.jsonl')
fs.writeFileSync(corpus, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')

test('spam eval prints one line per dataset, with every figure', async () => {
  const r = await broadsheet(['spam', 'eval', '--dataset', corpus, '--folds', '4'])
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^small: n=32 accuracy=\d\.\d{4} precision=\d\.\d{4} recall=\d\.\d{4} f1=\d\.\d{4} mcc=-?\d\.\d{4} fpr=\d\.\d{4} per_second=\d+ \(4-fold cross-validation\)\n$/)
})

test('spam eval --repeats pools several cross-validation splits and says so', async () => {
  const r = await broadsheet(['spam', 'eval', '--dataset', corpus, '--folds', '4', '--repeats', '3', '--json'])
  assert.equal(r.code, 0, r.stderr)
  const pooled = JSON.parse(r.stdout)
  assert.equal(pooled.n, 32, 'n is the size of the corpus, not of the pooled counts')
  assert.match((await broadsheet(['spam', 'eval', '--dataset', corpus, '--folds', '4', '--repeats', '3'])).stdout, /\(4-fold cross-validation, 3 splits pooled\)\n$/)
  const bad = await broadsheet(['spam', 'eval', '--dataset', corpus, '--folds', '4', '--repeats', '0'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--repeats.*whole number from 1 to 100/)
})

test('spam eval --json gives the documented keys, for the shipped model too', async () => {
  const r = await broadsheet(['spam', 'eval', '--dataset', corpus, '--json'])
  assert.equal(r.code, 0, r.stderr)
  const result = JSON.parse(r.stdout)
  assert.deepEqual(Object.keys(result), ['dataset', 'n', 'accuracy', 'precision', 'recall', 'f1', 'mcc', 'fpr', 'per_second'])
  assert.equal(result.n, 32)
  assert.ok(result.accuracy > 0.5, `the shipped model gets ${result.accuracy} on an easy corpus`)
})

test('spam train is reproducible: the same data gives the same model, byte for byte', async () => {
  const a = path.join(dir, 'a.bin')
  const b = path.join(dir, 'b.bin')
  assert.equal((await broadsheet(['spam', 'train', '--dataset', corpus, '--output', a])).code, 0)
  assert.equal((await broadsheet(['spam', 'train', '--dataset', corpus, '--output', b])).code, 0)
  assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)))
  assert.ok(fs.readFileSync(commonFileOf(a)).equals(fs.readFileSync(commonFileOf(b))), 'the list of frequent features beside it too')
  assert.ok(fs.statSync(a).size < 10 * 1024 * 1024)
})

const corpora = path.resolve(root, '../shared/data/spam')

test('the shipped model file is exactly what spam train makes from the corpora', async (t) => {
  if (!fs.existsSync(corpora)) return t.skip(`no corpora at ${corpora}`)
  const trained = path.join(dir, 'shipped.bin')
  const r = await broadsheet(['spam', 'train', '--output', trained])
  assert.equal(r.code, 0, r.stderr)
  assert.ok(fs.readFileSync(trained).equals(fs.readFileSync(path.join(root, 'models/spam-model.bin'))), 'models/spam-model.bin is stale: run `broadsheet spam train`')
  assert.ok(fs.readFileSync(commonFileOf(trained)).equals(fs.readFileSync(path.join(root, 'models/spam-model-common.bin'))), 'models/spam-model-common.bin is stale: run `broadsheet spam train`')
})

test('spam eval --model scores a model file made by spam train', async () => {
  const model = path.join(dir, 'own.bin')
  assert.equal((await broadsheet(['spam', 'train', '--dataset', corpus, '--output', model])).code, 0)
  const r = await broadsheet(['spam', 'eval', '--dataset', corpus, '--model', model, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.equal(JSON.parse(r.stdout).accuracy, 1, 'a model scores its own training data perfectly here')
  const broken = path.join(dir, 'broken.bin')
  fs.writeFileSync(broken, 'not a model')
  const bad = await broadsheet(['spam', 'eval', '--dataset', corpus, '--model', broken])
  assert.equal(bad.code, 1)
  assert.match(bad.stderr, /^broadsheet: .*broken\.bin: not a Broadsheet spam model file\n$/)
})

test('a malformed corpus is named with its line; bad usage exits 2', async () => {
  const bad = path.join(dir, 'bad.jsonl')
  fs.writeFileSync(bad, '{"label":"spam","comment_content":"x"}\n{"label":"maybe","comment_content":"y"}\n')
  const r = await broadsheet(['spam', 'eval', '--dataset', bad])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /^broadsheet: .*bad\.jsonl:2: label: /)
  assert.equal((await broadsheet(['spam', 'eval', '--dataset', corpus, '--folds', 'x'])).code, 2)
  assert.equal((await broadsheet(['spam', 'eval', '--dataset', path.join(dir, 'missing.jsonl')])).code, 1)
})

test('a corpus saved with a byte-order mark and CR LF line ends is read like any other', async () => {
  const windows = path.join(dir, 'windows.jsonl')
  fs.writeFileSync(windows, `\uFEFF${rows.map((r) => JSON.stringify(r)).join('\r\n')}\r\n`)
  const r = await broadsheet(['spam', 'eval', '--dataset', windows, '--json'])
  assert.equal(r.code, 0, r.stderr)
  assert.equal(JSON.parse(r.stdout).n, rows.length)
})

test('the shipped model file loads (time printed for the note)', () => {
  // Read afresh (defaultModel() keeps the copy an earlier test may have loaded), as defaultModel() reads it.
  const started = performance.now()
  const model = readModel(DEFAULT_MODEL_FILE)
  const ms = performance.now() - started
  assert.ok(model instanceof LinearModel)
  assert.ok(defaultModel() instanceof LinearModel)
  console.log(`# shipped model loaded in ${ms.toFixed(0)} ms`)
})

test('spam eval --leave-one-out prints a line per corpus left out, naming what it was trained on; subfolders count', async () => {
  const folder = path.join(dir, 'loo')
  fs.mkdirSync(path.join(folder, 'more'), { recursive: true })
  const half = (k: number) => rows.filter((_, i) => i % 2 === k)
  fs.writeFileSync(path.join(folder, 'first.jsonl'), half(0).map((r) => JSON.stringify(r)).join('\n') + '\n')
  fs.writeFileSync(path.join(folder, 'more', 'second.jsonl'), half(1).map((r) => JSON.stringify(r)).join('\n') + '\n')
  const r = await broadsheet(['spam', 'eval', '--leave-one-out', folder])
  assert.equal(r.code, 0, r.stderr)
  const lines = r.stdout.trim().split('\n')
  assert.equal(lines.length, 2)
  assert.match(lines[0]!, /^first: n=16 accuracy=\d\.\d{4} .* mcc=-?\d\.\d{4} fpr=\d\.\d{4} per_second=\d+ \(left out; trained on second\)$/)
  assert.match(lines[1]!, /^second: n=16 .* \(left out; trained on first\)$/)
  const alone = await broadsheet(['spam', 'eval', '--leave-one-out', path.join(folder, 'more')])
  assert.equal(alone.code, 1)
  assert.match(alone.stderr, /leaving one out needs at least two corpora; found 1/)
})

test('spam eval --leave-one-out --by-source also leaves out each source of a corpus that has several, and only such a corpus', async () => {
  const folder = path.join(dir, 'sources')
  fs.mkdirSync(folder, { recursive: true })
  // Four "videos", each with spam and real comments; the other corpus has one source only.
  const withSources = rows.filter((_, i) => i % 2 === 0).map((r, i) => ({ ...r, source: `video-${i % 4}` }))
  fs.writeFileSync(path.join(folder, 'videos.jsonl'), withSources.map((r) => JSON.stringify(r)).join('\n') + '\n')
  fs.writeFileSync(path.join(folder, 'other.jsonl'), rows.filter((_, i) => i % 2 === 1).map((r) => JSON.stringify({ ...r, source: 'one' })).join('\n') + '\n')
  const r = await broadsheet(['spam', 'eval', '--leave-one-out', folder, '--by-source'])
  assert.equal(r.code, 0, r.stderr)
  const lines = r.stdout.trim().split('\n')
  assert.equal(lines.length, 3, r.stdout)
  assert.match(lines[2]!, /^videos by source: n=16 accuracy=\d\.\d{4} .* mcc=-?\d\.\d{4} fpr=\d\.\d{4} .*\(each of 4 sources left out; trained on the other corpora and sources\)$/)
})

test('spam eval --explain N gives the worst verdicts with reasons in words, not only a percentage', async () => {
  const own = path.join(dir, 'explain.bin')
  assert.equal((await broadsheet(['spam', 'train', '--dataset', corpus, '--output', own])).code, 0)
  const r = await broadsheet(['spam', 'eval', '--dataset', corpus, '--model', own, '--explain', '3'])
  assert.equal(r.code, 0, r.stderr)
  const [line, ...explained] = r.stdout.trim().split('\n')
  assert.match(line!, /^small: n=32 /)
  // A model trained on this very corpus gets it all right.
  assert.deepEqual(explained, ['  no verdict was wrong'])
  const other = path.join(dir, 'unseen.jsonl')
  fs.writeFileSync(other, [{ label: 'ham', comment_content: 'Please check out the council minutes, the vote is on page 4' }, { label: 'spam', comment_content: 'the barrier held on our street thanks to http://flood-doors.example.biz' }].map((x) => JSON.stringify(x)).join('\n') + '\n')
  const shown = await broadsheet(['spam', 'eval', '--dataset', other, '--model', own, '--explain', '2'])
  assert.equal(shown.code, 0, shown.stderr)
  assert.match(shown.stdout, /\n  (real comment marked|spam passed as) \w+ \(score \d\.\d\d\): "/)
  assert.match(shown.stdout, /\n    - .*\((toward spam|toward a real comment), [+−]\d\.\d\)/)
})
