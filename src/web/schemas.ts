/**
 * @module Schemas for what every route reads from paths and query strings. A path that cannot
 * name anything answers 404 with the schema's message; a malformed query answers 400.
 */
import { z } from 'zod'
import { pageNumberRe, recordIdRe } from '../text/identifiers.ts'
import { isValidSlug, readSlug } from '../text/slug.ts'
import { NOT_FOUND_MESSAGE } from './errors.ts'


/**
 * A slug in a path, read as slugs are stored (NFC: a URL typed in NFD names the same page), then
 * held to the rule slugs are saved with; anything else names nothing.
 */
const slugParam = (notFound: string) => z.string().max(1000, notFound).transform(readSlug).refine(isValidSlug, notFound)

/** A record id; `problem` is what the client is told otherwise (in a path: a 404, "no such …"). */
export const idParam = (problem: string) => z.string().regex(recordIdRe, problem).transform(Number)

export const IdParams = (notFound: string) => z.object({ id: idParam(notFound) })

/** `/category/:slug/` and `/category/:slug/page/:n/`, and the same for tags and authors. */
export const ArchiveParams = z.object({
  slug: slugParam(NOT_FOUND_MESSAGE),
  n: z.string().regex(pageNumberRe, NOT_FOUND_MESSAGE).transform(Number).default(1),
})

export const PageParams = z.object({ n: z.string().regex(pageNumberRe, NOT_FOUND_MESSAGE).transform(Number) })

export const SlugParams = (notFound: string) => z.object({ slug: slugParam(notFound) })

/** `?page=N`: absent is 1; anything else but a plain positive number is the client's mistake. */
export const PageQuery = z.object({
  page: z
    .union([z.literal(''), z.string().regex(pageNumberRe, 'must be a positive whole number')], { error: 'must be a positive whole number' })
    .optional()
    .transform((v) => (v ? Number(v) : 1)),
})
