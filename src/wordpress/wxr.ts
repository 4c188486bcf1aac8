/**
 * @module WXR (WordPress eXtended RSS) 1.0, 1.1 and 1.2, read as a stream of typed records:
 * the site, authors, categories, tags and items (posts, pages, attachments …) with their comments.
 * Missing fields get WordPress's own defaults; nothing here touches the database.
 */
import { childRaw, childrenNamed, childText, readXmlRecords, type XmlNode } from './xml-stream.ts'
import { Invalid } from '../errors.ts'

const wxrNamespaceRe = /^https?:\/\/wordpress\.org\/export\/1\.\d+\/$/
const excerptNamespaceRe = /^https?:\/\/wordpress\.org\/export\/1\.\d+\/excerpt\/$/
const KNOWN_NAMESPACES: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://wellformedweb.org/CommentAPI/': 'wfw',
}

/** The namespace prefix this module reads a URI as, whatever the file calls it. */
export function wxrPrefixFor(uri: string): string | undefined {
  if (wxrNamespaceRe.test(uri)) return 'wp'
  if (excerptNamespaceRe.test(uri)) return 'excerpt'
  return KNOWN_NAMESPACES[uri]
}

export interface WxrSite {
  readonly type: 'site'
  readonly field: string
  readonly value: string
}

export interface WxrAuthor {
  readonly type: 'author'
  readonly login: string
  readonly email: string
  readonly displayName: string
}

export interface WxrTerm {
  readonly type: 'term'
  readonly taxonomy: 'category' | 'tag' | string
  readonly slug: string
  readonly name: string
  readonly parentSlug: string
  readonly description: string
}

export interface WxrComment {
  readonly id: string
  readonly parentId: string
  readonly author: string
  readonly email: string
  readonly url: string
  readonly ip: string
  readonly userAgent: string
  /** `YYYY-MM-DD hh:mm:ss` in the site's time zone, and in UTC ('' or all zeros when unknown). */
  readonly date: string
  readonly dateGmt: string
  readonly content: string
  /** `1`, `0`, `spam`, `trash`, `post-trashed`. */
  readonly approved: string
  /** '' or `comment` for comments; `pingback`, `trackback` … */
  readonly commentType: string
}

export interface WxrItem {
  readonly type: 'item'
  readonly title: string
  readonly link: string
  readonly guid: string
  readonly pubDate: string
  readonly creator: string
  readonly content: string
  readonly excerpt: string
  readonly postId: string
  readonly date: string
  readonly dateGmt: string
  readonly modifiedGmt: string
  readonly commentStatus: string
  readonly postName: string
  readonly status: string
  readonly postParent: string
  readonly postType: string
  readonly isSticky: boolean
  readonly attachmentUrl: string
  readonly terms: readonly { taxonomy: string; slug: string; name: string }[]
  readonly meta: ReadonlyMap<string, readonly string[]>
  readonly comments: readonly WxrComment[]
}

export type WxrRecord = WxrSite | WxrAuthor | WxrTerm | WxrItem

/**
 * The records of a WXR file, in file order.
 * @example for await (const record of readWxr('export.xml')) if (record.type === 'item') …
 */
export async function* readWxr(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<WxrRecord> {
  let sawWxr = false
  const records = readXmlRecords(file, {
    prefixFor: wxrPrefixFor,
    isRecord: (path) => path.length === 3 && path[0] === 'rss' && path[1] === 'channel',
    ...(onBytes && { onBytes }),
  })
  for await (const { node } of records) {
    const record = toRecord(node)
    if (!record) continue
    if (record.type === 'site' && record.field === 'wxr_version') sawWxr = true
    if (record.type === 'item' || record.type === 'term') sawWxr = true
    yield record
  }
  if (!sawWxr) throw new Invalid(`${file}: not a WordPress export (no <rss><channel> with wp:wxr_version, items or terms)`, 'not_wxr')
}

function toRecord(node: XmlNode): WxrRecord | undefined {
  switch (node.name) {
    case 'title':
    case 'link':
    case 'description':
    case 'generator':
      return { type: 'site', field: node.name, value: node.text.trim() }
    case 'wp:wxr_version':
    case 'wp:base_site_url':
    case 'wp:base_blog_url':
      return { type: 'site', field: node.name.slice(3), value: node.text.trim() }
    case 'wp:author':
      return {
        type: 'author',
        login: childText(node, 'wp:author_login'),
        email: childText(node, 'wp:author_email'),
        displayName: childText(node, 'wp:author_display_name') || childText(node, 'wp:author_login'),
      }
    case 'wp:category':
      return term(node, 'category', 'wp:category_nicename', 'wp:cat_name', 'wp:category_parent', 'wp:category_description')
    case 'wp:tag':
      return term(node, 'tag', 'wp:tag_slug', 'wp:tag_name', '', 'wp:tag_description')
    case 'wp:term': {
      const taxonomy = childText(node, 'wp:term_taxonomy')
      return term(node, taxonomy === 'post_tag' ? 'tag' : taxonomy, 'wp:term_slug', 'wp:term_name', 'wp:term_parent', 'wp:term_description')
    }
    case 'item':
      return item(node)
    default:
      return undefined
  }
}

function term(node: XmlNode, taxonomy: string, slug: string, name: string, parent: string, description: string): WxrTerm {
  return {
    type: 'term',
    taxonomy,
    slug: childText(node, slug),
    name: childText(node, name) || childText(node, slug),
    parentSlug: parent ? childText(node, parent) : '',
    description: childText(node, description),
  }
}

function item(node: XmlNode): WxrItem {
  const meta = new Map<string, string[]>()
  for (const m of childrenNamed(node, 'wp:postmeta')) {
    const key = childText(m, 'wp:meta_key')
    if (key) meta.set(key, [...(meta.get(key) ?? []), childRaw(m, 'wp:meta_value')])
  }
  return {
    type: 'item',
    title: childText(node, 'title'),
    link: childText(node, 'link'),
    guid: childText(node, 'guid'),
    pubDate: childText(node, 'pubDate'),
    creator: childText(node, 'dc:creator'),
    content: childRaw(node, 'content:encoded'),
    excerpt: childText(node, 'excerpt:encoded'),
    postId: childText(node, 'wp:post_id'),
    date: childText(node, 'wp:post_date'),
    dateGmt: childText(node, 'wp:post_date_gmt'),
    modifiedGmt: childText(node, 'wp:post_modified_gmt'),
    commentStatus: childText(node, 'wp:comment_status') || 'open',
    postName: childText(node, 'wp:post_name'),
    status: childText(node, 'wp:status') || 'publish',
    postParent: childText(node, 'wp:post_parent'),
    postType: childText(node, 'wp:post_type') || 'post',
    isSticky: childText(node, 'wp:is_sticky') === '1',
    attachmentUrl: childText(node, 'wp:attachment_url'),
    terms: childrenNamed(node, 'category').map((c) => ({
      taxonomy: c.attrs.domain === 'post_tag' ? 'tag' : (c.attrs.domain ?? 'category'),
      slug: c.attrs.nicename ?? '',
      name: c.text.trim(),
    })),
    meta,
    comments: childrenNamed(node, 'wp:comment').map(comment),
  }
}

function comment(node: XmlNode): WxrComment {
  return {
    id: childText(node, 'wp:comment_id'),
    parentId: childText(node, 'wp:comment_parent'),
    author: childText(node, 'wp:comment_author'),
    email: childText(node, 'wp:comment_author_email'),
    url: childText(node, 'wp:comment_author_url'),
    ip: childText(node, 'wp:comment_author_IP'),
    userAgent: childText(node, 'wp:comment_agent'),
    date: childText(node, 'wp:comment_date'),
    dateGmt: childText(node, 'wp:comment_date_gmt'),
    content: childRaw(node, 'wp:comment_content'),
    approved: childText(node, 'wp:comment_approved') || '1',
    commentType: childText(node, 'wp:comment_type'),
  }
}

const wpDateRe = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/

/** A WordPress `YYYY-MM-DD hh:mm:ss` read as UTC; undefined for '' and the all-zeros "no date". */
export function wpDate(text: string): Date | undefined {
  const m = wpDateRe.exec(text.trim())
  if (!m || m[1] === '0000') return undefined
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** An RSS date (`Tue, 27 Jan 2015 14:56:57 +0000`); undefined when missing or before 1971 (WordPress's "never"). */
export function rssDate(text: string): Date | undefined {
  if (!text) return undefined
  const date = new Date(text)
  return Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1971 ? undefined : date
}
