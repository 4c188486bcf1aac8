/** @module A reader's comment as it arrives from the form or the JSON API, validated once. */
import { z } from 'zod'
import { emailAddressSchema } from '../text/email-address.ts'
import { recordIdRe } from '../text/identifiers.ts'

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => v?.trim() || undefined)

const idField = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = String(v).trim()
  if (!recordIdRe.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive whole number' })
    return z.NEVER
  }
  return Number(s)
})

/** A comment's own fields, whichever way it arrives. */
export const CommentFieldsSchema = z.object({
  /** The comment replied to; empty for a top-level comment. */
  parent_id: z.union([z.literal(''), z.null(), idField]).optional().transform((v) => (typeof v === 'number' ? v : undefined)),
  /** The commenter's name as shown. */
  author: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  /** Never shown publicly. */
  email: z.string({ error: 'is required' }).trim().min(1, 'is required').max(254, 'is too long').pipe(emailAddressSchema()),
  /** The commenter's website: http(s) only. */
  url: optionalText(500).pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).optional()),
  /** The comment, in a small safe subset of Markdown. */
  content: z.string({ error: 'is required' }).max(10_000, 'must be at most 10,000 characters').refine((s) => s.trim().length > 0, 'is required'),
  /** The form's signed render token (optional over the API). */
  render_token: optionalText(200),
  /** "Save my name, email, and website in this browser". */
  remember: z.union([z.literal('yes'), z.literal('on'), z.boolean()]).optional().transform((v) => v === true || v === 'yes' || v === 'on'),
  /** "Notify me of replies by email". */
  notify_replies: z.union([z.literal('yes'), z.literal('on'), z.boolean()]).optional().transform((v) => v === true || v === 'yes' || v === 'on'),
})

/** The name of the form's hidden field that only robots fill in. */
export const HONEYPOT_FIELD = 'contact_phone'

export const NewCommentSchema = z.object({
  /** The article commented on (first: it is what a form error is most about). */
  article_id: idField,
  ...CommentFieldsSchema.shape,
})

export type NewCommentFields = z.output<typeof NewCommentSchema>

/** The honeypot: any text in it marks the poster as a robot. */
const honeypot = z.unknown().optional().transform((v) => typeof v === 'string' && v.trim() !== '')

const notAnObject = 'Send the comment as form fields or a JSON object'

/** Repeated form fields arrive as arrays; the first value counts. */
function firstValues(fields: unknown): unknown {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return fields
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))
}

/** The "Leave a Reply" form as browsers post it. */
export const CommentFormSchema = z.preprocess(firstValues, z.object({ ...NewCommentSchema.shape, [HONEYPOT_FIELD]: honeypot }, { error: notAnObject }))

/** The JSON API's body: the article is in the path. */
export const CommentApiSchema = z.preprocess(firstValues, z.object({ ...CommentFieldsSchema.shape, [HONEYPOT_FIELD]: honeypot }, { error: notAnObject }))
