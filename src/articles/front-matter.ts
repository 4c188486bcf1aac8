/**
 * @module Reads an article written as Markdown with YAML front matter — the format of
 * `broadsheet publish` — into article input, naming the field when something is wrong.
 */
import { parseOrThrow } from '../validation.ts'
import YAML from 'yaml'
import { z } from 'zod'
import { InvalidArticle } from './articles.ts'
import { ArticleStatusSchema, CreditSchema, type ArticleInput } from './schema.ts'

/** The featured image a publish file names: an image already added (`media:12`), a file beside it to add, or none (`image: null`). */
export type FrontMatterImage = { readonly mediaId: number } | { readonly file: string; readonly alt: string; readonly caption?: string; readonly credit?: string } | null

export interface ArticleFile {
  readonly input: ArticleInput
  /** Absent when the file says nothing of an image (an update keeps the current one). */
  readonly image?: FrontMatterImage
  /** 1-based line in the file where the body starts (for messages about the body). */
  readonly bodyStartLine: number
}

const frontMatterRe = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/

const listOfNames = z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))])

const ImageFileSchema = z
  .object({
    /** An image file, relative to the Markdown file. */
    file: z.string({ error: 'is required (the image file, relative to this one)' }).min(1),
    alt: z.string({ error: 'is required (describe what the image shows)' }).trim().min(1, 'is required (describe what the image shows)'),
    caption: z.string().optional(),
    credit: z.string().optional(),
  })
  .strict()

const mediaReferenceRe = /^media:([1-9]\d{0,15})$/

/** `image:` as written: null, `media:12`, or `{file, alt, caption, credit}`, each with its own message. */
function parseImage(value: unknown): FrontMatterImage {
  if (value === null) return null
  if (typeof value === 'string') {
    const m = mediaReferenceRe.exec(value.trim())
    if (!m) throw new InvalidArticle('image', `${JSON.stringify(value)} must be media:ID (see broadsheet media add) or {file, alt, caption, credit}`)
    return { mediaId: Number(m[1]) }
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidArticle('image', 'must be media:ID or {file, alt, caption, credit}')
  return parseOrThrow(ImageFileSchema, value, 'image', (p) => new InvalidArticle(`image.${p.field}`, p.message))
}

const FrontMatterSchema = z
  .object({
    title: z.string({ error: 'is required' }),
    slug: z.string().optional(),
    standfirst: z.string().optional(),
    author: listOfNames.optional(),
    authors: listOfNames.optional(),
    date: z.union([z.date(), z.string()]).optional(),
    tags: listOfNames.optional(),
    categories: listOfNames.optional(),
    credits: z.array(CreditSchema).optional(),
    canonical_url: z.string().optional(),
    status: ArticleStatusSchema.optional(),
    comments: z.enum(['open', 'closed']).optional(),
    image: z.unknown().optional(),
  })
  .strict()

/**
 * Parses a publish file.
 * @example parseArticleFile('---\ntitle: Flood defences hold\n---\nThe river peaked at …')
 */
export function parseArticleFile(text: string): ArticleFile {
  const match = frontMatterRe.exec(text)
  if (!match) throw new InvalidArticle('front matter', 'the file must start with a --- block holding at least a title')
  let data: unknown
  try {
    data = YAML.parse(match[1]!, { schema: 'core', customTags: ['timestamp'] })
  } catch (error) {
    throw new InvalidArticle('front matter', `not valid YAML (${(error as Error).message.split('\n')[0]})`)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidArticle('front matter', 'must be a set of "field: value" lines')
  }
  const fm = parseOrThrow(FrontMatterSchema, data, 'front matter', (p) => new InvalidArticle(p.field, p.message))
  const body = text.slice(match[0].length)
  const bodyStartLine = match[0].split('\n').length
  return {
    bodyStartLine: match[0].endsWith('\n') ? bodyStartLine : bodyStartLine + 1,
    ...(fm.image !== undefined && { image: parseImage(fm.image) }),
    input: {
      title: fm.title,
      body,
      ...(fm.slug !== undefined && { slug: fm.slug }),
      ...(fm.standfirst !== undefined && { standfirst: fm.standfirst }),
      authors: fm.authors ?? fm.author ?? [],
      ...(fm.date !== undefined && { publishedAt: parseDate(fm.date) }),
      tags: fm.tags ?? [],
      categories: fm.categories ?? [],
      credits: fm.credits ?? [],
      ...(fm.canonical_url !== undefined && { canonicalUrl: fm.canonical_url }),
      ...(fm.status !== undefined && { status: fm.status }),
      ...(fm.comments !== undefined && { commentsOpen: fm.comments === 'open' }),
    },
  }
}

/** A value is quoted as JSON in messages, so one written over several lines still makes a one-line message. */
function parseDate(value: Date | string): Date {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) throw new InvalidArticle('date', `${JSON.stringify(String(value))} is not a date (use 2026-11-25 or 2026-11-25T09:00:00Z)`)
  return date
}
