/** @module `broadsheet spam eval` and `broadsheet spam train`. */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  balancedWeights,
  classify,
  count,
  crossValidate,
  frequentFeatures,
  scoresOf,
  toTrainingVector,
  trainModel,
  type Confusion,
  type LabelledSample,
  type LabelledVector,
  type TextModel,
  type Scores,
} from '../spam/index.ts'
import { InvalidCorpus, readCorpora, type Corpus } from '../spam-filter/corpus.ts'
import { commonFileOf, defaultModel, DEFAULT_MODEL_FILE, readModel, SHIPPED_TRAINING, writeModel } from '../spam-filter/default-model.ts'

export const DEFAULT_DATASET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/spam')

const isSpamVerdict = (model: TextModel, sample: LabelledSample) => {
  const v = classify(model, sample).verdict
  return v === 'spam' || v === 'discard'
}

export interface EvalOptions {
  readonly dataset: string
  readonly folds?: number
  /** With `folds`: how many different splits to pool. */
  readonly repeats?: number
  readonly json?: boolean
  /** A model file to score instead of the shipped one. */
  readonly model?: string
  /** A folder of corpora: train on all but one, score the one left out, for each. */
  readonly leaveOneOut?: string
  /** Print the reasons of this many of the worst verdicts after each line. */
  readonly explain?: number
  /** With `leaveOneOut`: also leave out one source (a video, an account) of each corpus that has them. */
  readonly bySource?: boolean
}

export function spamEvalCommand(options: EvalOptions): void {
  if (options.leaveOneOut) return leaveOneOutCommand(options.leaveOneOut, options)
  for (const corpus of readCorpora(options.dataset)) {
    let scores: Scores
    let model: TextModel
    if (options.folds) {
      // Pooled over the repeats, the counts cover each sample once per split; n stays the corpus's size.
      scores = { ...crossValidate(corpus.samples, options.folds, isSpamVerdict, {}, options.repeats ?? 1), n: corpus.samples.length }
      model = trainModel(corpus.samples.map(toTrainingVector))
    } else {
      model = options.model ? readModel(options.model) : defaultModel()
      const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
      for (const s of corpus.samples) count(confusion, s.label, isSpamVerdict(model, s))
      scores = scoresOf(confusion)
    }
    const how = options.folds ? ` (${options.folds}-fold cross-validation${options.repeats && options.repeats > 1 ? `, ${options.repeats} splits pooled` : ''})` : options.model ? ` (model ${options.model})` : ' (shipped model)'
    printScores(corpus.name, scores, classificationRate(model, corpus.samples), how, options.json)
    if (options.explain) explainWorst(model, corpus.samples, options.explain)
  }
}

function printScores(name: string, scores: Scores, perSecond: number, how: string, json: boolean | undefined): void {
  // Lines pooled over several models (one source left out at a time) have no one speed: NaN leaves it out.
  const result = { dataset: name, ...scores, ...(Number.isNaN(perSecond) ? {} : { per_second: Math.round(perSecond) }) }
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  const f = (v: number) => v.toFixed(4)
  process.stdout.write(
    `${name}: n=${scores.n} accuracy=${f(scores.accuracy)} precision=${f(scores.precision)} recall=${f(scores.recall)} ` +
      `f1=${f(scores.f1)} mcc=${f(scores.mcc)} fpr=${f(scores.fpr)}${'per_second' in result ? ` per_second=${result.per_second}` : ''}${how}\n`,
  )
}

/**
 * Trains the shipped recipe on every corpus of `folder` (and its subfolders) but one and scores
 * the one left out, for each: how the shipped model does on a comment section it never saw.
 */
function leaveOneOutCommand(folder: string, options: EvalOptions): void {
  const corpora = readCorporaDeep(folder)
  if (corpora.length < 2) throw new InvalidCorpus(`${folder}: leaving one out needs at least two corpora; found ${corpora.length}`)
  const vectors = corpora.map((c) => c.samples.map(toTrainingVector))
  corpora.forEach((corpus, left) => {
    const model = trainModel(balancedWeights(vectors.filter((_, i) => i !== left)), SHIPPED_TRAINING)
    const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
    for (const s of corpus.samples) count(confusion, s.label, isSpamVerdict(model, s))
    const others = corpora.filter((_, i) => i !== left).map((c) => c.name).join(', ')
    printScores(corpus.name, scoresOf(confusion), classificationRate(model, corpus.samples), ` (left out; trained on ${others})`, options.json)
    if (options.explain) explainWorst(model, corpus.samples, options.explain)
  })
  if (options.bySource) corpora.forEach((corpus, at) => leaveSourcesOut(corpora, vectors, at, options))
}

/** At most this many trainings per corpus when leaving its sources out: 38 accounts are left out five groups at a time. */
const SOURCE_GROUPS = 5

/**
 * Leaves out one source of a corpus at a time (a YouTube video, an Instagram account; with more
 * than `SOURCE_GROUPS` sources, one group of them), training the shipped recipe on the other
 * corpora and the corpus's other sources: how the model does on a new comment section of a kind
 * it knows. A corpus counts only when at least three of its sources hold both spam and real
 * comments (SpamAssassin's sources are its spam and ham folders, which says nothing).
 */
function leaveSourcesOut(corpora: readonly Corpus[], vectors: readonly (readonly LabelledVector[])[], at: number, options: EvalOptions): void {
  const corpus = corpora[at]!
  const labelsOf = new Map<string, Set<string>>()
  corpus.samples.forEach((s, i) => {
    const source = corpus.sources[i]
    if (source !== undefined) (labelsOf.get(source) ?? labelsOf.set(source, new Set()).get(source)!).add(s.label)
  })
  const sources = [...labelsOf.keys()].sort()
  if ([...labelsOf.values()].filter((labels) => labels.size === 2).length < 3) return
  const groupOf = new Map(sources.map((source, k) => [source, k % SOURCE_GROUPS]))
  const groups = Math.min(SOURCE_GROUPS, sources.length)
  const confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
  for (let group = 0; group < groups; group++) {
    const inGroup = (i: number) => groupOf.get(corpus.sources[i] ?? '') === group
    const rest = vectors[at]!.filter((_, i) => !inGroup(i))
    const model = trainModel(balancedWeights([...vectors.filter((_, i) => i !== at), rest]), SHIPPED_TRAINING)
    corpus.samples.forEach((s, i) => {
      if (inGroup(i)) count(confusion, s.label, isSpamVerdict(model, s))
    })
  }
  const how = ` (each of ${sources.length} sources left out${groups < sources.length ? ` in ${groups} groups` : ''}; trained on the other corpora and sources)`
  printScores(`${corpus.name} by source`, scoresOf(confusion), Number.NaN, how, options.json)
}

/** The corpora of a folder and of its subfolders, in name order. */
function readCorporaDeep(folder: string): Corpus[] {
  const corpora = readCorpora(folder)
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const sub = path.join(folder, entry.name)
    if (fs.readdirSync(sub).some((f) => f.endsWith('.jsonl'))) corpora.push(...readCorpora(sub))
  }
  return corpora
}

/** The real comments most surely marked spam, then the spam most surely passed, each with its reasons. */
function explainWorst(model: TextModel, samples: readonly LabelledSample[], n: number): void {
  const judged = samples.map((s) => ({ s, v: classify(model, s) }))
  const wrong = (label: 'ham' | 'spam') =>
    judged
      .filter(({ s, v }) => s.label === label && (v.verdict === 'spam' || v.verdict === 'discard') === (label === 'ham'))
      .sort((a, b) => (label === 'ham' ? b.v.score - a.v.score : a.v.score - b.v.score))
  const worst = [...wrong('ham'), ...wrong('spam')].slice(0, n)
  if (worst.length === 0) process.stdout.write('  no verdict was wrong\n')
  for (const { s, v } of worst) {
    const text = s.comment_content.replace(/\s+/g, ' ').slice(0, 120)
    process.stdout.write(`  ${s.label === 'ham' ? 'real comment marked' : 'spam passed as'} ${v.verdict} (score ${v.score.toFixed(2)}): "${text}"\n`)
    for (const reason of v.reasons) process.stdout.write(`    - ${reason}\n`)
  }
}

/** Verdicts a second on one core: features, model and reasons, as a comment gets them. */
function classificationRate(model: TextModel, samples: readonly LabelledSample[]): number {
  const rounds = Math.max(1, Math.ceil(20_000 / samples.length))
  for (const s of samples.slice(0, 200)) classify(model, s)
  const start = process.hrtime.bigint()
  for (let r = 0; r < rounds; r++) for (const s of samples) classify(model, s)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return (rounds * samples.length) / seconds
}

export function spamTrainCommand(options: { dataset?: string; output?: string }): void {
  const dataset = options.dataset ?? DEFAULT_DATASET
  // A folder's subfolders count: the shipped mix is all the corpora, extra/ included.
  const corpora = fs.statSync(dataset, { throwIfNoEntry: false })?.isDirectory() ? readCorporaDeep(dataset) : readCorpora(dataset)
  const samples = corpora.flatMap((c) => c.samples)
  const start = process.hrtime.bigint()
  const vectors = corpora.map((c) => c.samples.map(toTrainingVector))
  const model = trainModel(balancedWeights(vectors), SHIPPED_TRAINING)
  const common = frequentFeatures(vectors)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const file = options.output ?? DEFAULT_MODEL_FILE
  writeModel(model, common, file)
  process.stdout.write(
    `trained on ${samples.length} samples (${corpora.map((c) => `${c.name} ${c.samples.length}`).join(', ')}) in ${seconds.toFixed(1)} s; ` +
      `wrote ${file} (SHA-256 ${sha256(fs.readFileSync(file))}) and ${commonFileOf(file)} (${common.size} frequent features)\n`,
  )
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
