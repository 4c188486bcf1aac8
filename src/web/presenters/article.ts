/**
 * @module What the public API says about an article: explicit fields only, so that a new column
 * never leaks by accident.
 */
import type { PublishedArticle } from '../../articles/articles.ts'

export function presentArticleSummary(a: PublishedArticle, url: string, commentCount: number) {
  return {
    id: a.id,
    slug: a.slug,
    title: a.title,
    standfirst: a.standfirst,
    url,
    published_at: a.publishedAt.toISOString(),
    comment_count: commentCount,
  }
}

export function presentArticle(a: PublishedArticle, url: string, commentCount: number) {
  return {
    ...presentArticleSummary(a, url, commentCount),
    updated_at: a.updatedAt.toISOString(),
    body_html: a.bodyHtml,
    authors: a.authors.map((au) => ({ name: au.displayName, slug: au.slug })),
    categories: a.categories.map((t) => ({ name: t.name, slug: t.slug })),
    tags: a.tags.map((t) => ({ name: t.name, slug: t.slug })),
    credits: a.credits.map((c) => ({ name: c.name, role: c.role, url: c.url ?? null })),
    canonical_url: a.canonicalUrl ?? url,
    comments_open: a.commentsOpen,
  }
}
