/** @module What an article is made of when it arrives (CLI, API, import), validated once. */
import { z } from 'zod'
import { isValidSlug, readSlug } from '../text/slug.ts'

export const CreditSchema = z.object({
  /** Who is credited, e.g. "CNN". */
  name: z.string().trim().min(1).max(200),
  /** Link to the credited original. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** What they did, e.g. "Original reporting". */
  role: z.string().trim().min(1).max(100).default('Source'),
})

/** `pending`: submitted for review; `private`: kept from readers (WordPress's private posts). */
export const ArticleStatusSchema = z.enum(['draft', 'pending', 'private', 'scheduled', 'published'])

/** A `post` appears in listings and feeds; a `page` (About, Contact) answers at `/SLUG/` only. */
export type ArticleKind = 'post' | 'page'

const nameList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(200)).max(100))

export const ArticleInputSchema = z.object({
  /** The headline. */
  title: z.string().trim().min(1, 'is required').max(300),
  /** URL slug; made from the headline when absent. */
  slug: z
    .string()
    .trim()
    // Typed by a person: upper case, a trailing or doubled hyphen and another normal form are
    // tidied as an address would be read; what is left must be a slug as it stands.
    .transform((s) => readSlug(s.toLowerCase()))
    .refine(isValidSlug, 'must be lower-case letters, digits and hyphens')
    .optional(),
  /** The one- or two-sentence summary under the headline. */
  standfirst: z.string().trim().max(1000).default(''),
  /** The body in Markdown; raw HTML is allowed and sanitized. */
  body: z.string().max(2_000_000).default(''),
  /** Bylines: display names or e-mail addresses. */
  authors: nameList.default([]),
  /** Publication date; defaults to now when published. */
  publishedAt: z.date().optional(),
  status: ArticleStatusSchema.default('published'),
  tags: nameList.default([]),
  categories: nameList.default([]),
  credits: z.array(CreditSchema).max(50).default([]),
  /** For syndicated pieces: the original's URL, used as rel=canonical. */
  canonicalUrl: z.url({ protocol: /^https?$/ }).optional(),
  commentsOpen: z.boolean().default(true),
  /** The featured image: a media record's id (`media:12`); null removes it. Absent on an update keeps the current one. */
  imageId: z.number().int().positive().nullable().optional(),
})

export type ArticleInput = z.input<typeof ArticleInputSchema>
export type ValidArticleInput = z.output<typeof ArticleInputSchema>
export type Credit = z.output<typeof CreditSchema>
export type ArticleStatus = z.output<typeof ArticleStatusSchema>

/** Whether an article in this state is live once its publication date has come (drafts and pieces awaiting review never are). */
export function goesLive(status: ArticleStatus): boolean {
  return status === 'published' || status === 'scheduled'
}
