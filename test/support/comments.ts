/** @module Posting comments the way a reader's browser does: fetch the form, wait, post it. */
import type { TestSite } from './test-site.ts'
import { commentFormIn } from './traffic.ts'

export interface FormFields {
  author?: string
  email?: string
  url?: string
  content?: string
  parent_id?: string
  remember?: string
  notify_replies?: string
  [field: string]: string | undefined
}

/** The hidden fields of an article's comment form, as the page served them. */
export async function formOf(t: TestSite, articlePath: string): Promise<Record<string, string>> {
  return commentFormIn(await (await t.get(articlePath)).text()).hidden
}

/** Fetches the form, lets `seconds` pass on the site's clock (a person typing), and posts it. */
/** `cookie`: a Cookie header the reader's browser sends with the form (e.g. their trust cookie). */
export async function postForm(t: TestSite, articlePath: string, fields: FormFields, seconds = 45, cookie?: string): Promise<Response> {
  const hidden = await formOf(t, articlePath)
  t.now = new Date(t.now.getTime() + seconds * 1000)
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...hidden, author: 'Ann Reader', email: 'ann@example.org', content: 'A thoughtful comment.', ...fields })) {
    if (v !== undefined) body.set(k, v)
  }
  return t.get('/comments', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) } })
}

export function commentIdFrom(location: string | null): number | undefined {
  const m = /#comment-(\d+)$/.exec(location ?? '')
  return m ? Number(m[1]) : undefined
}
