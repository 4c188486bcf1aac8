/** @module Users and API tokens, and the site's settings. */
import type { ApiTokenInfo, StaffUser, User } from '../../../accounts/accounts.ts'
import type { SettingField } from '../../../settings/fields.ts'
import type { SiteSettings } from '../../../settings/settings.ts'
import { html, raw } from '../../html.ts'
import { ADMIN } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'
import { adminFrame, csrfField } from './frame.ts'

const ROLES = ['administrator', 'editor', 'author', 'contributor'] as const
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never')

export function renderUsers(site: SiteContext, user: User, csrf: string, users: readonly StaffUser[], f: { error?: string; notice?: string; values?: Record<string, string> } = {}): string {
  const v = f.values ?? {}
  return adminFrame(
    site,
    { title: 'Users', user, csrf, current: 'users', ...(f.error && { error: f.error }), ...(f.notice && { notice: f.notice }) },
    html`<div class="table-wrap"><table><caption class="sr-only">Everyone who can sign in</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col">Change</th></tr></thead>
<tbody>${users.map(
      (u) => html`<tr><td>${u.displayName}${u.disabled ? html` <span class="status status-trash">disabled</span>` : ''}</td><td>${u.email}</td><td>${u.role}</td><td>${u.createdAt.slice(0, 10)}</td>
<td><form method="post" action="${ADMIN.users}/${u.id}" class="row-actions">${csrfField(csrf)}<label class="sr-only" for="role-${u.id}">Role of ${u.displayName}</label>
<select id="role-${u.id}" name="role">${ROLES.map((r) => html`<option value="${r}"${u.role === r ? raw(' selected') : ''}>${r}</option>`)}</select>
<button type="submit" name="do" value="role" class="secondary">Change role</button>
<button type="submit" name="do" value="${u.disabled ? 'enable' : 'disable'}" class="secondary">${u.disabled ? 'Enable' : 'Disable'}</button></form></td></tr>`,
    )}</tbody></table></div>
<form method="post" action="${ADMIN.users}" class="panel"><h2>Add a user</h2>${csrfField(csrf)}
<label for="new-name">Name</label><input id="new-name" name="name" type="text" required maxlength="100" value="${v.name ?? ''}">
<label for="new-email">Email</label><input id="new-email" name="email" type="email" required value="${v.email ?? ''}">
<label for="new-role">Role</label><select id="new-role" name="role">${ROLES.map((r) => html`<option value="${r}"${(v.role ?? 'author') === r ? raw(' selected') : ''}>${r}</option>`)}</select>
<label for="new-password">Password</label><input id="new-password" name="password" type="password" autocomplete="new-password" minlength="12" aria-describedby="new-password-hint">
<p class="hint" id="new-password-hint">At least 12 characters. Leave empty to let them set one with “Forgot your password?” (needs e-mail).</p>
<div class="actions"><button type="submit">Add user</button></div></form>`,
  )
}

export function renderTokens(site: SiteContext, user: User, csrf: string, tokens: readonly ApiTokenInfo[], f: { error?: string; created?: string; notice?: string } = {}): string {
  return adminFrame(
    site,
    { title: 'API tokens', user, csrf, current: 'tokens', ...(f.error && { error: f.error }), ...(f.notice && { notice: f.notice }) },
    html`${f.created ? html`<div class="panel" role="status"><p><strong>Your new token</strong> — copy it now; it is not shown again:</p><p class="token">${f.created}</p></div>` : ''}
<p>Tokens let scripts use the admin API (<code>Authorization: Bearer …</code>). A token can do what its owner's role can.</p>
<div class="table-wrap"><table><caption class="sr-only">API tokens</caption>
<thead><tr><th scope="col">#</th><th scope="col">Label</th><th scope="col">Owner</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead>
<tbody>${tokens.length === 0 ? html`<tr><td colspan="7">No tokens yet.</td></tr>` : ''}${tokens.map(
      (t) => html`<tr><td>${t.id}</td><td>${t.label || '—'}</td><td>${t.displayName} (${t.email})</td><td>${day(t.createdAt)}</td><td>${day(t.lastUsedAt)}</td><td>${day(t.expiresAt)}</td>
<td>${t.revokedAt ? html`revoked ${day(t.revokedAt)}` : html`<form method="post" action="${ADMIN.tokens}/${t.id}/revoke">${csrfField(csrf)}<button type="submit" class="danger" aria-label="Revoke token ${t.id}${t.label ? ` (${t.label})` : ''}">Revoke</button></form>`}</td></tr>`,
    )}</tbody></table></div>
<form method="post" action="${ADMIN.tokens}" class="panel"><h2>Create a token</h2>${csrfField(csrf)}
<label for="token-label">What it is for</label><input id="token-label" name="label" type="text" maxlength="100" placeholder="WordPress plugin, import script …">
<label for="token-expires">Expires after (days)</label><input id="token-expires" name="expires_in" type="number" min="1" max="3650" step="1" value="90">
<div class="actions"><button type="submit">Create token</button></div></form>`,
  )
}

export function renderSettings(site: SiteContext, user: User, csrf: string, fields: readonly SettingField[], values: SiteSettings | Record<string, unknown>, f: { error?: string; notice?: string } = {}): string {
  const value = (key: string) => (values as Record<string, unknown>)[key]
  return adminFrame(
    site,
    { title: 'Settings', user, csrf, current: 'settings', ...(f.error && { error: f.error }), ...(f.notice && { notice: f.notice }) },
    html`<p>The privacy page and every reader page follow these at once, in every app process.</p>
<form method="post" action="${ADMIN.settings}" class="panel">${csrfField(csrf)}
${fields.map((field) => {
      const id = `setting-${field.key}`
      const v = value(field.key)
      const hint = field.hint ? html`<p class="hint" id="${id}-hint">${field.hint}</p>` : ''
      const described = field.hint ? html` aria-describedby="${id}-hint"` : ''
      switch (field.kind) {
        case 'boolean':
          return html`<label class="inline-check"><input type="checkbox" name="${field.key}" value="1"${v ? raw(' checked') : ''}${described}> ${field.label}</label>${hint}`
        case 'choice':
          return html`<label for="${id}">${field.label}</label><select id="${id}" name="${field.key}"${described}>${(field.choices ?? []).map((c) => html`<option value="${c}"${v === c ? raw(' selected') : ''}>${c}</option>`)}</select>${hint}`
        case 'lines':
          return html`<label for="${id}">${field.label}</label><textarea id="${id}" name="${field.key}" rows="4"${described}>${Array.isArray(v) ? v.join('\n') : ''}</textarea>${hint}`
        case 'longtext':
          return html`<label for="${id}">${field.label}</label><textarea id="${id}" name="${field.key}" rows="5"${described}>${String(v ?? '')}</textarea>${hint}`
        case 'number':
          return html`<label for="${id}">${field.label}</label><input id="${id}" name="${field.key}" type="number" step="any" value="${Number.isFinite(v) ? String(v) : ''}"${described}>${hint}`
        default:
          return html`<label for="${id}">${field.label}</label><input id="${id}" name="${field.key}" type="${field.kind === 'url' ? 'url' : 'text'}" value="${v === null || v === undefined ? '' : String(v)}"${described}>${hint}`
      }
    })}
<div class="actions"><button type="submit">Save settings</button></div></form>`,
  )
}
