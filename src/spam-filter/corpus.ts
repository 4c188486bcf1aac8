/** @module Labelled corpora in JSON lines with Akismet's field names plus `label` (see the data README). */
import { parseOrThrow } from '../validation.ts'
import fs from 'node:fs'
import { Invalid } from '../errors.ts'
import path from 'node:path'
import { z } from 'zod'
import type { LabelledSample } from '../spam/index.ts'

const RowSchema = z.object({
  label: z.enum(['spam', 'ham']),
  comment_content: z.string(),
  comment_author: z.string().optional(),
  comment_author_email: z.string().optional(),
  comment_author_url: z.string().optional(),
  comment_type: z.string().optional(),
  user_ip: z.string().optional(),
  user_agent: z.string().optional(),
  source: z.string().optional(),
  thread: z.string().optional(),
})

export interface Corpus {
  readonly name: string
  readonly samples: readonly LabelledSample[]
  /** Where each sample came from within the corpus (its `thread`, else its `source`), for leaving one source out. */
  readonly sources: readonly (string | undefined)[]
}

/** A malformed corpus; the message names the file and line. */
export class InvalidCorpus extends Invalid {
  override readonly name = 'InvalidCorpus'
  constructor(message: string) {
    super(message, 'invalid_corpus')
  }
}

/** Reads one .jsonl file, or every .jsonl file in a folder. */
export function readCorpora(location: string): Corpus[] {
  let stat: fs.Stats
  try {
    stat = fs.statSync(location)
  } catch {
    throw new InvalidCorpus(`no dataset at ${location}`)
  }
  const files = stat.isDirectory()
    ? fs.readdirSync(location).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(location, f))
    : [location]
  if (files.length === 0) throw new InvalidCorpus(`no .jsonl files in ${location}`)
  return files.map(readCorpus)
}

function readCorpus(file: string): Corpus {
  // Files saved by Windows tools may start with a byte-order mark (a CR before each \n is
  // white space to JSON.parse).
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\n')
  const samples: LabelledSample[] = []
  const sources: (string | undefined)[] = []
  lines.forEach((line, i) => {
    if (!line.trim()) return
    let row: unknown
    try {
      row = JSON.parse(line)
    } catch {
      throw new InvalidCorpus(`${file}:${i + 1}: not valid JSON`)
    }
    const { source, thread, ...sample } = parseOrThrow(RowSchema, row, 'row', (p) => new InvalidCorpus(`${file}:${i + 1}: ${p.field}: ${p.message}`))
    samples.push(sample as LabelledSample)
    sources.push(thread ?? source)
  })
  if (samples.length === 0) throw new InvalidCorpus(`${file}: no samples`)
  return { name: path.basename(file).replace(/\.jsonl$/, ''), samples, sources }
}
