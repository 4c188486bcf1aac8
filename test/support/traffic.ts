/**
 * @module What the site's visitors send, over real HTTP to a server at `base` (a child process or
 * an in-process test site): the comment form as a browser posts it, the JSON comment API, the
 * admin API with a bearer token. The crash test and the soak build their crowds from these.
 */

/** The article's comment form as the page served it: its hidden fields and the honeypot's name. */
export interface CommentForm {
  readonly hidden: Record<string, string>
  /** The text field that only robots fill (hidden from people by CSS). */
  readonly honeypot: string | undefined
}

/** Reads the hidden fields and the honeypot's name out of an article page. */
export function commentFormIn(page: string): CommentForm {
  const hidden: Record<string, string> = {}
  for (const m of page.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) hidden[m[1]!] = m[2]!
  const honeypot = /<div class="hp"[^>]*><label>[^<]*<input type="text" name="([^"]+)"/.exec(page)?.[1]
  return { hidden, honeypot }
}

/** Fetches an article page and reads its comment form. */
export async function fetchCommentForm(base: string, articlePath: string): Promise<CommentForm> {
  const response = await fetch(base + articlePath)
  if (response.status !== 200) throw new Error(`GET ${articlePath} answered ${response.status}`)
  return commentFormIn(await response.text())
}

/** Posts the comment form (fields over the form's hidden ones) as a browser does: 303 when taken. */
export function postCommentForm(base: string, form: CommentForm, fields: Record<string, string>, cookie?: string): Promise<Response> {
  const body = new URLSearchParams({ ...form.hidden, ...fields })
  return fetch(`${base}/comments`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
  })
}

/** A comment through the JSON API: 201 `{id, status}` when taken. */
export function postCommentJson(base: string, articleId: number, comment: { author: string; email: string; content: string; url?: string; parent_id?: number }): Promise<Response> {
  return fetch(`${base}/api/v1/articles/${articleId}/comments`, { method: 'POST', body: JSON.stringify(comment), headers: { 'content-type': 'application/json' } })
}

/** A request to the admin API with a bearer token; an object body is sent as JSON. */
export function adminApi(base: string, token: string, method: string, pathname: string, body?: unknown): Promise<Response> {
  return fetch(base + pathname, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
}

/** Comments posted over and over through the JSON API until stopped, each with its own text. */
export interface CommentFlood {
  /** The text of every comment answered 201, in the order the answers came. */
  readonly acknowledged: string[]
  /** Resolves once the first comment has been answered 201. */
  readonly flowing: Promise<void>
  /** No new posts; resolves when those under way have ended (answered or cut off). */
  stop(): Promise<void>
}

/**
 * Starts `writers` readers posting comments to these articles in turn, as fast as the server
 * answers. A request that fails (the server was killed) is not acknowledged and is not retried.
 * @example
 * const flood = floodComments(server.url, [article.id], { writers: 4, label: 'backup' })
 * await flood.flowing
 * const before = [...flood.acknowledged]
 */
export function floodComments(base: string, articleIds: readonly number[], options: { writers: number; label: string; onPosted?: (posted: { id: number; status: string }) => void }): CommentFlood {
  const acknowledged: string[] = []
  let stopped = false
  let seq = 0
  let markFlowing: () => void = () => {}
  const flowing = new Promise<void>((resolve) => (markFlowing = resolve))
  const writer = async (w: number) => {
    while (!stopped) {
      const n = ++seq
      const content = `${options.label}: comment number ${n} from the flood; the council should publish the figures.`
      try {
        const response = await postCommentJson(base, articleIds[n % articleIds.length]!, { author: `Reader ${w}`, email: `reader${w}-${n}@example.org`, content })
        if (response.status !== 201) continue
        acknowledged.push(content)
        markFlowing()
        options.onPosted?.((await response.json()) as { id: number; status: string })
      } catch {
        // Cut off (the server is gone): nothing was promised.
      }
    }
  }
  const writers = Array.from({ length: options.writers }, (_, w) => writer(w))
  return {
    acknowledged,
    flowing,
    async stop() {
      stopped = true
      await Promise.all(writers)
    },
  }
}
