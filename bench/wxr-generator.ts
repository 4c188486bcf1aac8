/**
 * @module A generated WordPress export (WXR 1.2) of any size: authors, sections, posts with classic
 * and block content, threaded comments of every status. Seeded, so the same arguments always
 * write the same file. Used by the import benchmark and the crash test.
 */
import fs from 'node:fs'

/** A seeded generator, so every run reads the same file. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32)
}

const WORDS = 'harbour council river flood budget library school ferry weir market hospital road bridge election museum rail housing festival court police'.split(' ')

function sentence(rand: () => number, n: number): string {
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!)
  return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.'
}

/**
 * Writes `posts` posts (slugs `story-1` …) and `comments` comments spread over them to `file`.
 * @example writeWxr('/tmp/site.xml', 200, 1000)
 */
export function writeWxr(file: string, posts: number, comments: number): void {
  const rand = random(14)
  const fd = fs.openSync(file, 'w')
  const write = (s: string) => fs.writeSync(fd, s)
  write(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench Gazette</title><link>https://bench.example</link><wp:wxr_version>1.2</wp:wxr_version>
`)
  for (let a = 1; a <= 20; a++) write(`<wp:author><wp:author_login>reporter${a}</wp:author_login><wp:author_email>reporter${a}@bench.example</wp:author_email><wp:author_display_name><![CDATA[Reporter ${a}]]></wp:author_display_name></wp:author>\n`)
  for (let c = 1; c <= 40; c++) write(`<wp:category><wp:term_id>${c}</wp:term_id><wp:category_nicename>section-${c}</wp:category_nicename><wp:category_parent>${c > 10 ? `section-${c % 10 + 1}` : ''}</wp:category_parent><wp:cat_name><![CDATA[Section ${c}]]></wp:cat_name></wp:category>\n`)
  let commentId = 0
  for (let p = 1; p <= posts; p++) {
    const date = new Date(Date.UTC(2015, 0, 1) + p * 3_600_000 * 7)
    const stamp = date.toISOString().slice(0, 19).replace('T', ' ')
    const paragraphs = Array.from({ length: 6 }, () => sentence(rand, 40))
    const body = p % 2 === 0 ? paragraphs.map((x) => `<!-- wp:paragraph -->\n<p>${x}</p>\n<!-- /wp:paragraph -->`).join('\n\n') : paragraphs.join('\n\n')
    const n = Math.floor((comments * p) / posts) - Math.floor((comments * (p - 1)) / posts)
    let xml = `<item><title><![CDATA[${sentence(rand, 8)}]]></title><link>https://bench.example/${stamp.slice(0, 10).replace(/-/g, '/')}/story-${p}/</link><dc:creator>reporter${1 + (p % 20)}</dc:creator><guid isPermaLink="false">https://bench.example/?p=${p}</guid><content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[${sentence(rand, 20)}]]></excerpt:encoded><wp:post_id>${p}</wp:post_id><wp:post_date>${stamp}</wp:post_date><wp:post_date_gmt>${stamp}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>story-${p}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="section-${1 + (p % 40)}"><![CDATA[Section ${1 + (p % 40)}]]></category><category domain="post_tag" nicename="tag-${p % 500}"><![CDATA[Tag ${p % 500}]]></category>\n`
    const first = commentId + 1
    for (let c = 0; c < n; c++) {
      commentId++
      const parent = c > 0 && rand() < 0.4 ? first + Math.floor(rand() * c) : 0
      const status = rand() < 0.85 ? '1' : rand() < 0.5 ? '0' : 'spam'
      const cdate = new Date(date.getTime() + (c + 1) * 60_000).toISOString().slice(0, 19).replace('T', ' ')
      xml += `<wp:comment><wp:comment_id>${commentId}</wp:comment_id><wp:comment_author><![CDATA[Reader ${commentId % 5000}]]></wp:comment_author><wp:comment_author_email>reader${commentId % 5000}@mail.example</wp:comment_author_email><wp:comment_author_IP>192.0.2.${commentId % 250}</wp:comment_author_IP><wp:comment_date>${cdate}</wp:comment_date><wp:comment_date_gmt>${cdate}</wp:comment_date_gmt><wp:comment_content><![CDATA[${sentence(rand, 25)}\n\n${sentence(rand, 10)}]]></wp:comment_content><wp:comment_approved>${status}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>\n`
    }
    write(`${xml}</item>\n`)
  }
  write('</channel>\n</rss>\n')
  fs.closeSync(fd)
}
