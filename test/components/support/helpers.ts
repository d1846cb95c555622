import { fixture, html } from '@open-wc/testing';
import '../../../components/elements.js';
import type { ParleyChat } from '../../../components/elements.js';
import { FakeClient } from './fake-client.js';

export async function mountChat(
  client: FakeClient,
  attrs: { open?: boolean; lang?: string } = {},
): Promise<{ el: ParleyChat; root: ShadowRoot }> {
  const el = await fixture<ParleyChat>(
    html`<parley-chat bot-name="CRM Assistant" ?open=${attrs.open ?? false} lang=${attrs.lang ?? 'en'} .client=${client}></parley-chat>`,
  );
  await settle(el);
  await animationsDone(el);
  return { el, root: el.shadowRoot! };
}

/** Waits for the panel's opening animation (axe measures colour contrast mid-fade otherwise). */
export async function animationsDone(el: ParleyChat): Promise<void> {
  await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished.catch(() => undefined)));
}

/** Lets pending promise callbacks (resume, login) run, then waits for the element to render. */
export async function settle(el: ParleyChat): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((r) => queueMicrotask(r));
    await el.updateComplete;
  }
}

export const $ = <T extends Element = HTMLElement>(root: ShadowRoot, selector: string): T => {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};

export const bubbles = (root: ShadowRoot) => [...root.querySelectorAll<HTMLElement>('[part~="message"]')];

/** Resolves once `predicate` holds for the element's shadow DOM (checked on every DOM change). */
export function until(el: ParleyChat, predicate: (root: ShadowRoot) => boolean): Promise<void> {
  const root = el.shadowRoot!;
  if (predicate(root)) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (predicate(root)) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

export async function signIn(el: ParleyChat, username = 'alice', password = 'alice123'): Promise<void> {
  const root = el.shadowRoot!;
  await until(el, (r) => !!r.querySelector('form[part="login"]'));
  $<HTMLInputElement>(root, 'input[name="username"]').value = username;
  $<HTMLInputElement>(root, 'input[name="password"]').value = password;
  $<HTMLFormElement>(root, 'form[part="login"]').requestSubmit();
  await until(el, (r) => !!r.querySelector('[part="input"]'));
}
