/** The built-in sign-in form, shown when no token is available. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../../i18n/locales.js';

export interface LoginProps {
  strings: Strings;
  error: string | null;
  busy: boolean;
  onSubmit(username: string, password: string): void;
}

export function renderLogin(p: LoginProps): TemplateResult {
  const s = p.strings;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    p.onSubmit(String(data.get('username') ?? '').trim(), String(data.get('password') ?? ''));
  };
  return html`<form part="login" class="pane login" @submit=${submit} aria-labelledby="login-title" novalidate>
    <h3 id="login-title">${s.signInTitle}</h3>
    <label for="username">${s.username}</label>
    <input id="username" name="username" autocomplete="username" required
      aria-invalid=${p.error ? 'true' : 'false'} aria-describedby=${p.error ? 'login-error' : nothing} />
    <label for="password">${s.password}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required
      aria-invalid=${p.error ? 'true' : 'false'} aria-describedby=${p.error ? 'login-error' : nothing} />
    ${p.error ? html`<p id="login-error" class="error" role="alert">${p.error}</p>` : nothing}
    <button type="submit" class="primary" ?disabled=${p.busy}>${p.busy ? s.signingIn : s.signIn}</button>
  </form>`;
}
