/**
 * A newsroom user's browser, over real HTTP: it keeps cookies, reads each page's CSRF field and
 * sends forms the way a browser does (urlencoded, following no redirects on its own).
 */
import type { TestSite } from './test-site.ts'

export interface Page {
  readonly status: number
  readonly html: string
  readonly location: string | null
  /** The CSRF token of the page's first form, if it has one. */
  readonly csrf: string | undefined
}

export class AdminClient {
  readonly #t: TestSite
  readonly #cookies = new Map<string, string>()
  /** The CSRF token of the last page read. */
  csrf: string | undefined

  constructor(t: TestSite) {
    this.#t = t
  }

  get cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name)
  }

  forget(name: string): void {
    this.#cookies.delete(name)
  }

  #remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === ''
      if (expired) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  async #read(res: Response): Promise<Page> {
    this.#remember(res)
    const html = await res.text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
    if (csrf) this.csrf = csrf
    return { status: res.status, html, location: res.headers.get('location'), csrf }
  }

  async get(path: string): Promise<Page> {
    return this.#read(await this.#t.get(path, { headers: { cookie: this.cookieHeader } }))
  }

  /** Posts a form; `_csrf` is the last page's token unless given (pass `null` to leave it out). */
  async post(path: string, fields: Record<string, string | string[]>, options: { csrf?: string | null } = {}): Promise<Page> {
    const body = new URLSearchParams()
    const csrf = options.csrf === undefined ? this.csrf : options.csrf
    if (csrf) body.append('_csrf', csrf)
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
    return this.#read(await this.#t.get(path, { method: 'POST', body, headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' } }))
  }

  /** Signs in with the login form (reading it first for its token). */
  async signIn(email: string, password: string): Promise<Page> {
    await this.get('/admin/login')
    return this.post('/admin/login', { email, password })
  }
}

/** A user with a password, made directly through the accounts service. */
export async function staffWithPassword(t: TestSite, role: 'administrator' | 'editor' | 'author' | 'contributor', n = Math.random().toString(36).slice(2, 8)) {
  const email = `${role}-${n}@news.test`
  const password = `correct horse ${n} battery`
  const name = `${role[0]!.toUpperCase()}${role.slice(1)} ${n}`
  const user = await t.site.services.accounts.addUser({ email, name, role, password })
  return { ...user, name, password }
}

/** Signs a new user of this role in and answers their browser. */
export async function signedInAs(t: TestSite, role: 'administrator' | 'editor' | 'author' | 'contributor') {
  const user = await staffWithPassword(t, role)
  const browser = new AdminClient(t)
  const res = await browser.signIn(user.email, user.password)
  if (res.status !== 303) throw new Error(`signedInAs(${role}): sign-in answered ${res.status}: ${res.html.slice(0, 300)}`)
  return { user, browser }
}
