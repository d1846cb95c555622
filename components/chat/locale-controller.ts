/**
 * The widget's language: the locale table, text direction and date/time formats the views use.
 * It follows the element's `lang` attribute, else `Parley.setLocale`, else the page's `lang`, else
 * the browser's, and re-renders the host when `Parley.setLocale` changes the default.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { defaultLocale, onLocaleChange } from '../i18n/locale-state.js';
import { stringsFor, type Strings } from '../i18n/locales.js';

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DATE: Intl.DateTimeFormatOptions = { dateStyle: 'medium' };

export class LocaleController implements ReactiveController {
  lang = 'en';
  strings: Strings = stringsFor('en');
  timeFormat = new Intl.DateTimeFormat('en', TIME);
  dateFormat = new Intl.DateTimeFormat('en', DATE);
  #off: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The element's own choice (its `lang` attribute), or null. */
    private readonly requested: () => string | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#off = onLocaleChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = null;
  }

  /** Picks the language again; true when it changed (anything rendered in the old one is stale). */
  update(): boolean {
    const lang = this.requested() || defaultLocale() || document.documentElement.lang || navigator.language || 'en';
    if (lang === this.lang) return false;
    this.lang = lang;
    this.strings = stringsFor(lang);
    try {
      this.timeFormat = new Intl.DateTimeFormat(lang, TIME);
      this.dateFormat = new Intl.DateTimeFormat(lang, DATE);
    } catch {
      // An invalid language tag keeps the previous formats.
    }
    return true;
  }
}
