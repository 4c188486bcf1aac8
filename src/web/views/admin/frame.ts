/** @module The frame every newsroom page shares: navigation by role, the signed-in user, sign-out. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { can, type User } from '../../../accounts/accounts.ts'
import { html, type SafeHtml } from '../../html.ts'
import { ADMIN, FRONT_PAGE } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'

export const adminCss = readFileSync(new URL('../../assets/admin.css', import.meta.url), 'utf8')
export const adminJs = readFileSync(new URL('../../assets/admin.js', import.meta.url), 'utf8')
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10)
export const adminCssPath = `/admin/assets/admin.${hashOf(adminCss)}.css`
export const adminJsPath = `/admin/assets/admin.${hashOf(adminJs)}.js`

export interface AdminPage {
  readonly title: string
  /** The signed-in user; pages before sign-in have none. */
  readonly user?: User
  /** The CSRF token for this request's forms (sign-out needs one). */
  readonly csrf: string
  /** Which navigation entry is this page. */
  readonly current?: keyof typeof ADMIN
  /** A one-line confirmation ("Article saved.") or error at the top. */
  readonly notice?: string
  readonly error?: string
  readonly narrow?: boolean
}

const nav: { key: keyof typeof ADMIN; label: string; show: (u: User) => boolean }[] = [
  { key: 'home', label: 'Dashboard', show: () => true },
  { key: 'articles', label: 'Articles', show: () => true },
  { key: 'newArticle', label: 'New article', show: () => true },
  { key: 'comments', label: 'Comments', show: (u) => can(u.role, 'moderate_comments') },
  { key: 'users', label: 'Users', show: (u) => can(u.role, 'manage_users') },
  { key: 'tokens', label: 'API tokens', show: () => true },
  { key: 'settings', label: 'Settings', show: (u) => can(u.role, 'manage_site') },
]

/** A hidden field carrying the form's CSRF token. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`
}

export function adminFrame(site: SiteContext, page: AdminPage, body: SafeHtml): string {
  const u = page.user
  return html`<!doctype html>
<html lang="${site.settings.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${page.title} ‹ ${site.settings.title} — Broadsheet</title>
<link rel="stylesheet" href="${adminCssPath}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script src="${adminJsPath}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="bar">
<a class="site" href="${FRONT_PAGE}">${site.settings.title}</a>
${u ? html`<nav aria-label="Newsroom">${nav.filter((n) => n.show(u)).map((n) => html` <a href="${ADMIN[n.key]}"${page.current === n.key ? html` aria-current="page"` : ''}>${n.label}</a>`)}</nav>
<div class="who"><a href="${ADMIN.profile}"${page.current === 'profile' ? html` aria-current="page"` : ''}>${u.displayName} (${u.role})</a>
<form method="post" action="${ADMIN.logout}">${csrfField(page.csrf)}<button type="submit">Sign out</button></form></div>` : ''}
</header>
<main id="main" tabindex="-1"${page.narrow ? html` class="narrow"` : ''}>
<h1>${page.title}</h1>
${page.error ? html`<p class="error" role="alert">${page.error}</p>` : ''}
${page.notice ? html`<p class="notice" role="status">${page.notice}</p>` : ''}
${body}
</main>
</body>
</html>`.value
}
