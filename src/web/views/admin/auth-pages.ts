/** @module The newsroom's doors: set-up of the first administrator, sign-in, password reset, one's own profile. */
import type { User } from '../../../accounts/accounts.ts'
import { html } from '../../html.ts'
import { ADMIN } from '../../urls.ts'
import type { SiteContext } from '../layout.ts'
import { adminFrame, csrfField } from './frame.ts'

export interface FormState {
  readonly csrf: string
  readonly error?: string
  readonly notice?: string
  readonly values?: Readonly<Record<string, string>>
}

export function renderSetupPage(site: SiteContext, token: string, f: FormState): string {
  const v = f.values ?? {}
  return adminFrame(
    site,
    { title: 'Create the first administrator', csrf: f.csrf, narrow: true, ...(f.error && { error: f.error }) },
    html`<p>This site has no administrator yet. The one you create here can add everyone else.</p>
<form method="post" action="${ADMIN.setup}" class="panel">
${csrfField(f.csrf)}<input type="hidden" name="token" value="${token}">
<label for="name">Name</label><input id="name" name="name" type="text" autocomplete="name" required maxlength="100" value="${v.name ?? ''}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required value="${v.email ?? ''}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" aria-describedby="password-hint">
<p class="hint" id="password-hint">At least 12 characters. A few unrelated words make a good one.</p>
<div class="actions"><button type="submit">Create administrator</button></div>
</form>`,
  )
}

export function renderLoginPage(site: SiteContext, next: string, f: FormState & { needsSetup?: boolean }): string {
  const v = f.values ?? {}
  return adminFrame(
    site,
    { title: 'Sign in', csrf: f.csrf, narrow: true, ...(f.error && { error: f.error }), ...(f.notice && { notice: f.notice }) },
    html`${f.needsSetup ? html`<p class="notice">This site has no administrator yet: open the set-up link that the server printed when it started.</p>` : ''}
<form method="post" action="${ADMIN.login}" class="panel">
${csrfField(f.csrf)}<input type="hidden" name="next" value="${next}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${v.email ?? ''}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button> <a href="${ADMIN.passwordReset}">Forgot your password?</a></div>
</form>`,
  )
}

export function renderResetRequestPage(site: SiteContext, f: FormState & { sent?: boolean; mailEnabled: boolean }): string {
  return adminFrame(
    site,
    { title: 'Reset your password', csrf: f.csrf, narrow: true, ...(f.error && { error: f.error }) },
    f.sent
      ? html`<p class="notice" role="status">If an account has that address, a link to set a new password is on its way. It works once, within the hour.</p><p><a href="${ADMIN.login}">Back to sign-in</a></p>`
      : html`${f.mailEnabled ? '' : html`<p class="error">This site cannot send e-mail yet (SMTP_URL is not set), so no link can be sent: ask an administrator to set up e-mail.</p>`}
<form method="post" action="${ADMIN.passwordReset}" class="panel">
${csrfField(f.csrf)}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required>
<div class="actions"><button type="submit">Send reset link</button> <a href="${ADMIN.login}">Back to sign-in</a></div>
</form>`,
  )
}

export function renderResetPage(site: SiteContext, token: string, f: FormState): string {
  return adminFrame(
    site,
    { title: 'Set a new password', csrf: f.csrf, narrow: true, ...(f.error && { error: f.error }) },
    html`<form method="post" action="${ADMIN.passwordReset}/${token}" class="panel">
${csrfField(f.csrf)}
<label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="12">
<p class="hint">At least 12 characters. Every other session of your account will be signed out.</p>
<div class="actions"><button type="submit">Set password</button></div>
</form>`,
  )
}

export function renderProfilePage(site: SiteContext, user: User, f: FormState): string {
  return adminFrame(
    site,
    { title: 'Your account', user, csrf: f.csrf, current: 'profile', ...(f.error && { error: f.error }), ...(f.notice && { notice: f.notice }) },
    html`<div class="panel"><p><strong>${user.displayName}</strong> · ${user.email} · ${user.role}</p></div>
<form method="post" action="${ADMIN.profile}/password" class="panel">
<h2>Change your password</h2>
${csrfField(f.csrf)}
<label for="current">Current password</label><input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="next">New password</label><input id="next" name="next" type="password" autocomplete="new-password" required minlength="12">
<div class="actions"><button type="submit">Change password</button></div>
</form>
<form method="post" action="${ADMIN.logoutEverywhere}" class="panel">
<h2>Sign out everywhere</h2>
<p>Ends every session of your account, on every device, including this one. API tokens are not affected: revoke them on the <a href="${ADMIN.tokens}">API tokens</a> page.</p>
${csrfField(f.csrf)}<div class="actions"><button type="submit" class="danger">Sign out everywhere</button></div>
</form>`,
  )
}
