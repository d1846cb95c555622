/**
 * The clock of the status strip: while the connection is `reconnecting`, re-renders the host every
 * second so "Reconnecting in N s" counts down; otherwise it stays still.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConnectionState } from '../../src/index.js';

export class CountdownController implements ReactiveController {
  /** The time the status strip computes the countdown from. */
  now = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }

  /** Starts or stops ticking for the new connection state. */
  follow(state: ConnectionState): void {
    clearInterval(this.#timer);
    this.#tick();
    if (state.status === 'reconnecting') this.#timer = setInterval(() => this.#tick(), 1000);
  }

  #tick(): void {
    this.now = Date.now();
    this.host.requestUpdate();
  }
}
