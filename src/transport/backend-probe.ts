/**
 * Which kind of backend this is, learned from `POST /api/chat/ws-ticket/`: the reference server
 * answers with a ticket, a seed backend with 404 (PROTOCOL §6). Also builds the socket URL:
 * `?ticket=` when tickets exist, `?token=` otherwise.
 */
import type { Http } from '../api/http.js';
import { getWsTicket } from '../api/realtime.js';
import { HttpError } from '../errors.js';
import type { Id } from '../types.js';

const isMissing = (error: unknown): boolean =>
  error instanceof HttpError && (error.status === 404 || error.status === 405);

export class BackendProbe {
  /** True for a seed backend, false for the reference server, null until known. */
  seed: boolean | null = null;
  #probe: Promise<void> | null = null;
  /** The socket's own ticket request while the kind is unknown. */
  #asking: Promise<void> | null = null;
  #http: Http;
  #apiUrl: string;
  #token: () => Promise<string | null>;

  constructor(http: Http, apiUrl: string, token: () => Promise<string | null>) {
    this.#http = http;
    this.#apiUrl = apiUrl;
    this.#token = token;
  }

  /** The socket URL of a conversation; fetches a fresh single-use ticket each time. */
  async socketUrl(conversationId: Id): Promise<string> {
    const base = this.#apiUrl.replace(/^http/, 'ws').replace(/\/$/, '');
    const path = `${base}/ws/chat/${encodeURIComponent(conversationId)}/`;
    if (this.seed !== true) {
      const asked = getWsTicket(this.#http, conversationId);
      // Whoever waits for the kind meanwhile learns it from this answer, with no ticket of its own.
      if (this.seed === null)
        this.#asking = asked.then(
          () => undefined,
          () => undefined,
        );
      try {
        const { ticket } = await asked;
        this.seed = false;
        return `${path}?ticket=${encodeURIComponent(ticket)}`;
      } catch (error) {
        if (!isMissing(error)) throw error;
        this.seed = true;
      }
    }
    return `${path}?token=${encodeURIComponent((await this.#token()) ?? '')}`;
  }

  /** Makes sure the kind is known (a spare ticket expires unused in 30 s). Never rejects. */
  async ensureKnown(conversationId: Id): Promise<void> {
    if (this.seed === null && this.#asking) await this.#asking;
    if (this.seed !== null) return;
    this.#probe ??= getWsTicket(this.#http, conversationId).then(
      () => void (this.seed = false),
      (error: unknown) => {
        if (isMissing(error)) this.seed = true;
        this.#probe = null;
      },
    );
    await this.#probe;
  }
}
