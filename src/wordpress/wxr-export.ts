/**
 * @module `broadsheet export wordpress`: the site as WXR 1.2, the format WordPress's own importer
 * reads (authors, categories with parents, tags, posts and pages with every status, comments
 * with their status and parents). Written as a stream, a few hundred articles at a time.
 * Our own facts WordPress has no field for (credits, canonical URL, old addresses) travel as
 * postmeta that our importer reads back; old slugs go as WordPress's own `_wp_old_slug`.
 */
import { once } from 'node:events'
import fs from 'node:fs'
import { articlesAfter, allBylines, allTerms } from '../articles/export-store.ts'
import { authorsOf, creditsOf, termsOf } from '../articles/article-store.ts'
import { articlePath } from '../articles/permalinks.ts'
import { existingRedirectPaths, redirectsToArticles, slugsOfArticles } from '../articles/redirect-store.ts'
import { commentsOfArticles } from '../comments/export-store.ts'
import { Invalid } from '../errors.ts'
import type { ArticlesTable, CommentsTable } from '../storage/schema.ts'
import type { WordpressDeps } from './wordpress.ts'

export interface ExportSummary {
  readonly authors: number
  readonly categories: number
  readonly tags: number
  readonly posts: number
  readonly pages: number
  readonly comments: number
}

/** Postmeta keys for what only Broadsheet keeps. */
/** The channel's `<generator>`: tells our importer the ids and GUIDs are Broadsheet's, not WordPress's. */
export const GENERATOR = 'broadsheet'

export const META = { credits: '_broadsheet_credits', canonicalUrl: '_broadsheet_canonical_url', oldPath: '_broadsheet_old_path' } as const

const BATCH = 500

/**
 * Writes the whole site to `file` as WXR 1.2.
 * @example const summary = await exportWordpress(deps, 'site.xml')
 */
export async function exportWordpress(deps: Pick<WordpressDeps, 'db' | 'settings' | 'now'> & { baseUrl: () => Promise<string> }, file: string): Promise<ExportSummary> {
  const { db } = deps
  const settings = await deps.settings.read()
  const base = await deps.baseUrl()
  let out: fs.WriteStream
  try {
    out = fs.createWriteStream(file, { encoding: 'utf8' })
    await once(out, 'open')
  } catch (error) {
    throw new Invalid(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'unwritable_file')
  }
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain')
  }
  const summary = { authors: 0, categories: 0, tags: 0, posts: 0, pages: 0, comments: 0 }
  try {
    await write(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file (WXR 1.2) written by Broadsheet, for WordPress's importer (Tools → Import → WordPress). -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>${text(settings.title)}</title>
\t<link>${text(base)}</link>
\t<description>${text(settings.tagline ?? '')}</description>
\t<pubDate>${deps.now().toUTCString().replace('GMT', '+0000')}</pubDate>
\t<language>${text(settings.language)}</language>
\t<generator>${GENERATOR}</generator>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${text(base)}</wp:base_site_url>
\t<wp:base_blog_url>${text(base)}</wp:base_blog_url>
`)
    const users = await allBylines(db)
    for (const u of users) {
      await write(`\t<wp:author><wp:author_id>${u.id}</wp:author_id><wp:author_login>${cdata(u.slug)}</wp:author_login><wp:author_email>${cdata(u.email.endsWith('.invalid') ? '' : u.email)}</wp:author_email><wp:author_display_name>${cdata(u.display_name)}</wp:author_display_name><wp:author_first_name>${cdata('')}</wp:author_first_name><wp:author_last_name>${cdata('')}</wp:author_last_name></wp:author>\n`)
      summary.authors++
    }
    const terms = await allTerms(db)
    const slugOfTerm = new Map(terms.map((t) => [t.id, t.slug]))
    // Parents before children: WordPress's importer looks a parent up when it meets the child.
    for (const t of parentsFirst(terms.filter((x) => x.taxonomy === 'category'))) {
      await write(`\t<wp:category><wp:term_id>${t.id}</wp:term_id><wp:category_nicename>${cdata(t.slug)}</wp:category_nicename><wp:category_parent>${cdata(t.parent_id ? (slugOfTerm.get(t.parent_id) ?? '') : '')}</wp:category_parent><wp:cat_name>${cdata(t.name)}</wp:cat_name><wp:category_description>${cdata(t.description)}</wp:category_description></wp:category>\n`)
      summary.categories++
    }
    for (const t of terms.filter((x) => x.taxonomy === 'tag')) {
      await write(`\t<wp:tag><wp:term_id>${t.id}</wp:term_id><wp:tag_slug>${cdata(t.slug)}</wp:tag_slug><wp:tag_name>${cdata(t.name)}</wp:tag_name><wp:tag_description>${cdata(t.description)}</wp:tag_description></wp:tag>\n`)
      summary.tags++
    }

    for (let after = 0; ; ) {
      const articles = await articlesAfter(db, after, BATCH)
      if (articles.length === 0) break
      after = articles.at(-1)!.id
      const ids = articles.map((a) => a.id)
      const [authors, articleTerms, credits, comments, slugs, redirects, ownIdTaken] = await Promise.all([
        authorsOf(db, ids),
        termsOf(db, ids),
        creditsOf(db, ids),
        commentsOfArticles(db, ids),
        slugsOfArticles(db, ids),
        redirectsToArticles(db, ids),
        existingRedirectPaths(db, ids.map((id) => `/?p=${id}`)),
      ])
      const byArticle = {
        authors: groupBy(authors),
        terms: groupBy(articleTerms),
        credits: groupBy(credits),
        comments: groupBy(comments),
        slugs: groupBy(slugs),
        redirects: groupBy(redirects),
      }
      for (const a of articles) {
        const oldPaths = (byArticle.redirects.get(a.id) ?? []).map((r) => r.path)
        // `/?p=ID` by our id, unless an imported WordPress id already holds that address (it wins here too).
        const own = `/?p=${a.id}`
        if (!oldPaths.includes(own) && !ownIdTaken.has(own)) oldPaths.push(own)
        const facts = {
          authors: byArticle.authors.get(a.id) ?? [],
          terms: byArticle.terms.get(a.id) ?? [],
          credits: byArticle.credits.get(a.id) ?? [],
          comments: byArticle.comments.get(a.id) ?? [],
          oldSlugs: (byArticle.slugs.get(a.id) ?? []).map((r) => r.slug).filter((slug) => slug !== a.slug),
          oldPaths,
        }
        const link = base + articlePath(settings.permalinkStructure, { ...a, publishedAt: new Date(a.published_at ?? a.created_at), categories: facts.terms.filter((x) => x.taxonomy === 'category'), authors: facts.authors })
        await write(itemXml(a, link, facts))
        summary[a.kind === 'page' ? 'pages' : 'posts']++
        summary.comments += facts.comments.length
      }
    }
    await write('</channel>\n</rss>\n')
    out.end()
    await once(out, 'finish')
    return summary
  } catch (error) {
    out.destroy()
    throw error
  }
}

type ArticleRow = Awaited<ReturnType<typeof articlesAfter>>[number]
type CommentRow = Awaited<ReturnType<typeof commentsOfArticles>>[number]

function itemXml(
  a: ArticleRow,
  link: string,
  own: {
    authors: { slug: string }[]
    terms: { taxonomy: string; slug: string; name: string }[]
    credits: { name: string; url: string | null; role: string }[]
    comments: CommentRow[]
    oldSlugs: string[]
    oldPaths: string[]
  },
): string {
  const date = wpDateOf(a.published_at ?? a.created_at)
  const meta: [string, string][] = [
    ...own.oldSlugs.map((s): [string, string] => ['_wp_old_slug', s]),
    ...own.oldPaths.map((p): [string, string] => [META.oldPath, p]),
  ]
  if (own.credits.length > 0) meta.push([META.credits, JSON.stringify(own.credits.map((c) => ({ name: c.name, role: c.role, ...(c.url && { url: c.url }) })))])
  if (a.canonical_url) meta.push([META.canonicalUrl, a.canonical_url])
  return `\t<item>
\t\t<title>${cdata(a.title)}</title>
\t\t<link>${text(link)}</link>
\t\t<pubDate>${new Date(a.published_at ?? a.created_at).toUTCString().replace('GMT', '+0000')}</pubDate>
\t\t<dc:creator>${cdata(own.authors[0]?.slug ?? '')}</dc:creator>
\t\t<guid isPermaLink="false">${text(`${link.replace(/\/[^/]*\/?$/, '')}/?p=${a.id}`)}</guid>
\t\t<description></description>
\t\t<content:encoded>${cdata(a.body_html)}</content:encoded>
\t\t<excerpt:encoded>${cdata(a.standfirst)}</excerpt:encoded>
\t\t<wp:post_id>${a.id}</wp:post_id>
\t\t<wp:post_date>${cdata(date)}</wp:post_date>
\t\t<wp:post_date_gmt>${cdata(a.status === 'draft' && !a.published_at ? '0000-00-00 00:00:00' : date)}</wp:post_date_gmt>
\t\t<wp:post_modified>${cdata(wpDateOf(a.updated_at))}</wp:post_modified>
\t\t<wp:post_modified_gmt>${cdata(wpDateOf(a.updated_at))}</wp:post_modified_gmt>
\t\t<wp:comment_status>${cdata(a.comments_open ? 'open' : 'closed')}</wp:comment_status>
\t\t<wp:ping_status>${cdata('closed')}</wp:ping_status>
\t\t<wp:post_name>${cdata(a.slug)}</wp:post_name>
\t\t<wp:status>${cdata(WP_STATUS[a.status])}</wp:status>
\t\t<wp:post_parent>0</wp:post_parent>
\t\t<wp:menu_order>0</wp:menu_order>
\t\t<wp:post_type>${cdata(a.kind)}</wp:post_type>
\t\t<wp:post_password>${cdata('')}</wp:post_password>
\t\t<wp:is_sticky>${a.sticky ? 1 : 0}</wp:is_sticky>
${own.terms.map((t) => `\t\t<category domain="${t.taxonomy === 'tag' ? 'post_tag' : 'category'}" nicename="${text(t.slug)}">${cdata(t.name)}</category>\n`).join('')}${meta
    .map(([k, v]) => `\t\t<wp:postmeta><wp:meta_key>${cdata(k)}</wp:meta_key><wp:meta_value>${cdata(v)}</wp:meta_value></wp:postmeta>\n`)
    .join('')}${own.comments.map(commentXml).join('')}\t</item>
`
}

function commentXml(c: CommentRow): string {
  const date = wpDateOf(c.created_at)
  return `\t\t<wp:comment>
\t\t\t<wp:comment_id>${c.id}</wp:comment_id>
\t\t\t<wp:comment_author>${cdata(c.author_name)}</wp:comment_author>
\t\t\t<wp:comment_author_email>${cdata(c.author_email)}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>${text(c.author_url)}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP>${text(c.author_ip ?? '')}</wp:comment_author_IP>
\t\t\t<wp:comment_agent>${cdata(c.user_agent ?? '')}</wp:comment_agent>
\t\t\t<wp:comment_date>${cdata(date)}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>${cdata(date)}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>${cdata(c.content_html)}</wp:comment_content>
\t\t\t<wp:comment_approved>${cdata(WP_COMMENT_STATUS[c.status])}</wp:comment_approved>
\t\t\t<wp:comment_type>${cdata('comment')}</wp:comment_type>
\t\t\t<wp:comment_parent>${c.parent_id ?? 0}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
`
}

const WP_STATUS: Record<ArticlesTable['status'], string> = { published: 'publish', scheduled: 'future', draft: 'draft', pending: 'pending', private: 'private' }
const WP_COMMENT_STATUS: Record<CommentsTable['status'], string> = { approved: '1', pending: '0', spam: 'spam', trash: 'trash' }

/** `2026-11-25T06:00:00.000Z` → `2026-11-25 06:00:00`. */
/** Rows by the article they belong to, in their order. */
function groupBy<T extends { article_id: number | null }>(rows: readonly T[]): Map<number | null, T[]> {
  const groups = new Map<number | null, T[]>()
  for (const r of rows) {
    const group = groups.get(r.article_id)
    if (group) group.push(r)
    else groups.set(r.article_id, [r])
  }
  return groups
}

function wpDateOf(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ')
}

function parentsFirst<T extends { id: number; parent_id: number | null }>(terms: readonly T[]): T[] {
  const out: T[] = []
  const placed = new Set<number>()
  const byId = new Map(terms.map((t) => [t.id, t]))
  const place = (t: T, depth: number) => {
    if (placed.has(t.id) || depth > 50) return
    const parent = t.parent_id === null ? undefined : byId.get(t.parent_id)
    if (parent) place(parent, depth + 1)
    placed.add(t.id)
    out.push(t)
  }
  for (const t of terms) place(t, 0)
  return out
}

// Characters XML 1.0 does not allow at all; they cannot be escaped, only dropped.
const notXmlCharRe = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

const needsEscapeRe = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/

function text(value: string): string {
  if (!needsEscapeRe.test(value)) return value
  return value.replace(notXmlCharRe, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** A CDATA section; `]]>` inside is split across two sections, as WordPress does. */
function cdata(value: string): string {
  if (!needsEscapeRe.test(value) && !value.includes(']]>')) return `<![CDATA[${value}]]>`
  return `<![CDATA[${value.replace(notXmlCharRe, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
}
