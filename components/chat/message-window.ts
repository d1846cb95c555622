/**
 * Which slice of a conversation is in the DOM. Chat lists grow at both ends, so the window is
 * anchored by the key of its first message rather than by index: when older messages are
 * prepended the same bubbles stay in view. At most `max` bubbles are ever rendered.
 */
export interface Keyed {
  readonly key: string;
}

export class MessageWindow {
  start = 0;
  end = 0;
  /** True while the window sticks to the newest message (the user is at the bottom). */
  follow = true;
  #startKey: string | null = null;

  constructor(
    readonly max = 120,
    readonly page = 40,
    readonly initial = 50,
  ) {}

  /** Re-fits the window after the list changed (new messages, an older page, a new conversation). */
  sync(list: readonly Keyed[]): void {
    const len = list.length;
    if (this.follow || this.#startKey === null) {
      const size = Math.max(this.initial, Math.min(this.max, this.end - this.start));
      this.end = len;
      this.start = Math.max(0, len - size);
    } else {
      const size = this.end - this.start;
      let index =
        list[this.start]?.key === this.#startKey ? this.start : list.findIndex((m) => m.key === this.#startKey);
      if (index < 0) index = Math.min(this.start, Math.max(0, len - size));
      this.start = index;
      this.end = Math.min(len, index + size);
    }
    this.#startKey = list[this.start]?.key ?? null;
  }

  /** Shows up to one page of older messages; drops bubbles at the bottom beyond `max`. Returns true if it moved. */
  up(list: readonly Keyed[]): boolean {
    if (this.start === 0) return false;
    this.start = Math.max(0, this.start - this.page);
    this.end = Math.min(this.end, this.start + this.max);
    this.follow = false;
    this.#startKey = list[this.start]?.key ?? null;
    return true;
  }

  /** Shows up to one page of newer messages; drops bubbles at the top beyond `max`. Returns true if it moved. */
  down(list: readonly Keyed[]): boolean {
    if (this.end >= list.length) return false;
    this.end = Math.min(list.length, this.end + this.page);
    this.start = Math.max(this.start, this.end - this.max);
    this.#startKey = list[this.start]?.key ?? null;
    return true;
  }

  /** Jumps back to the newest messages. */
  reset(): void {
    this.follow = true;
    this.#startKey = null;
    this.start = this.end = 0;
  }
}
