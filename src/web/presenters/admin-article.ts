/**
 * @module What the admin API says about articles, their revisions, diffs, corrections and source
 * notes: explicit fields only. Source notes leave only through `presentSourceNote`, which only
 * the notes route uses.
 */
import type { Article, Correction, EditableArticle, Revision, RevisionDiff } from '../../articles/articles.ts'
import type { SourceNote } from '../../articles/source-notes.ts'

/** One line of the newsroom's list of articles. */
export function presentDeskEntry(a: Article, url: string | undefined) {
  return {
    id: a.id,
    slug: a.slug,
    title: a.title,
    status: a.status,
    published_at: a.publishedAt?.toISOString() ?? null,
    updated_at: a.updatedAt.toISOString(),
    /** Send it back as `base_revision` when saving. */
    revision: a.revision,
    url: url ?? null,
    authors: a.authors.map((au) => ({ id: au.id, name: au.displayName, slug: au.slug })),
  }
}

/** An article as its editor opens it: the list's fields, and all it is made of. */
export function presentEditableArticle(a: EditableArticle, url: string | undefined) {
  return {
    ...presentDeskEntry(a, url),
    standfirst: a.standfirst,
    body: a.body,
    body_html: a.bodyHtml,
    categories: a.categories.map((t) => t.name),
    tags: a.tags.map((t) => t.name),
    credits: a.credits.map((c) => ({ name: c.name, role: c.role, url: c.url ?? null })),
    canonical_url: a.canonicalUrl,
    comments_open: a.commentsOpen,
    corrections: a.corrections.map(presentCorrection),
  }
}

export function presentCorrection(c: Correction) {
  return { id: c.id, html: c.html, published_at: c.publishedAt.toISOString() }
}

export function presentRevision(r: Revision) {
  return {
    number: r.number,
    title: r.title,
    standfirst: r.standfirst,
    body: r.body,
    slug: r.slug,
    status: r.status,
    published_at: r.publishedAt?.toISOString() ?? null,
    canonical_url: r.canonicalUrl,
    authors: r.authors.map((a) => ({ id: a.id, name: a.name })),
    categories: [...r.categories],
    tags: [...r.tags],
    credits: r.credits.map((c) => ({ name: c.name, role: c.role, url: c.url ?? null })),
    saved_by: { id: r.savedBy.id, name: r.savedBy.name },
    saved_at: r.savedAt.toISOString(),
  }
}

const revisionHeading = (r: Revision) => ({ number: r.number, saved_by: { id: r.savedBy.id, name: r.savedBy.name }, saved_at: r.savedAt.toISOString() })

export function presentDiff(d: RevisionDiff) {
  return {
    article_id: d.articleId,
    from: revisionHeading(d.from),
    to: revisionHeading(d.to),
    changes: d.changes.map((c) => ({ field: c.field, parts: c.parts.map((p) => ({ kind: p.kind, text: p.text })) })),
  }
}

export function presentSourceNote(n: SourceNote) {
  return { id: n.id, text: n.text, written_by: { id: n.writtenBy.id, name: n.writtenBy.name }, written_at: n.writtenAt.toISOString() }
}
