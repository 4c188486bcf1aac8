/**
 * @module Corrections: an editor's dated note on a published article, in Markdown (sanitized
 * like bodies). Adding one moves the article's last-modified date, so its page, JSON-LD, feed
 * entries and sitemap entry all say it changed; it is not a revision of the text.
 */
import { z } from 'zod'
import { Invalid } from '../errors.ts'
import type { DB } from '../storage/database.ts'
import { htmlToText } from '../text/plain-text.ts'
import { parseOrThrow } from '../validation.ts'
import * as store from './correction-store.ts'
import { renderArticleBody } from './markdown.ts'
import { updateArticle } from './article-store.ts'

export interface Correction {
  readonly id: number
  readonly articleId: number
  /** Sanitized HTML, for pages and feeds. */
  readonly html: string
  /** The same as plain text, for JSON-LD. */
  readonly text: string
  readonly publishedAt: Date
}

export const CorrectionSchema = z.object({
  /** What was wrong and what is right, in Markdown. */
  text: z.string().trim().min(1, 'is required').max(5000),
})

/**
 * Publishes a correction to a live article and dates the article's last change to it.
 * @example await addCorrection(db, article, { text: 'An earlier version gave the wrong date.' }, editor.id, now)
 */
export async function addCorrection(
  db: DB,
  article: { id: number; isLive: boolean },
  input: { text: string },
  by: number | null,
  now: Date,
): Promise<Correction> {
  const { text } = parseOrThrow(CorrectionSchema, input, 'correction', (p) => new Invalid(`${p.field}: ${p.message}`, 'invalid_correction'))
  if (!article.isLive) throw new Invalid('Only a published article can be corrected; edit the draft instead.', 'not_published')
  const html = renderArticleBody(text)
  const at = now.toISOString()
  const id = await db.transaction().execute(async (trx) => {
    const id = await store.insertCorrection(trx, { article_id: article.id, body_markdown: text, body_html: html, added_by_id: by, published_at: at })
    await updateArticle(trx, article.id, { updated_at: at })
    return id
  })
  return { id, articleId: article.id, html, text: correctionText(html), publishedAt: now }
}

export function presentCorrection(row: { id: number; article_id: number; body_html: string; published_at: string }): Correction {
  return { id: row.id, articleId: row.article_id, html: row.body_html, text: correctionText(row.body_html), publishedAt: new Date(row.published_at) }
}

/** Inline tags are dropped without a space (so "£40m</strong>." reads "£40m."), block tags with one. */
const inlineTagRe = /<\/?(?:a|abbr|b|code|del|em|i|ins|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>/gi

function correctionText(html: string): string {
  return htmlToText(html.replace(inlineTagRe, ''))
}
