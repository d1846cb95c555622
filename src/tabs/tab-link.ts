/**
 * One connection per browser. The tabs of one browser signed in as the same user on the same
 * server elect a leader with a Web Lock (`LeaderLock`); only the leader opens the socket (or
 * polls in fallback) and flushes the shared durable outbox. The others follow over a
 * `BroadcastChannel`: they get every event of the leader's client (`FollowerView` shows them as
 * their own), write their sends to the shared outbox and tell the leader, and hand it the
 * commands that act on the connection or on the one outbox entry (`TAB_COMMANDS`).
 *
 * When the leader's page closes, reloads or is frozen, its lock goes to the next tab, which
 * opens the socket, catches up from the last `seq` it holds and flushes the outbox (entries a
 * dying leader was sending are claimed for a short lease, then taken over; the server drops a
 * second copy by `client_id`). Where Web Locks or BroadcastChannel are missing, or the option
 * `tabs` is off, the client stays `solo` and works alone, as every tab did before.
 */
import type { ClientParts } from '../client-wiring.js';
import type { ClientEvents } from '../events.js';
import type { QueuedOutboxEntry } from '../outbox/outbox-entry.js';
import type { Id } from '../types.js';
import { newClientId } from '../util/ids.js';
import type { Logger } from '../util/log.js';
import { FollowerView } from './follower-view.js';
import { LeaderLock, letGoWhenAway, tabSupport } from './leader-lock.js';
import {
  LOCAL_EVENTS,
  errorFromWire,
  errorToWire,
  runCommand,
  type LeaderHello,
  type TabCommand,
  type TabMessage,
} from './tab-wire.js';

/** What this tab is: alone, the leader of its browser's tabs, or one of their followers. */
export type TabRole = 'solo' | 'leader' | 'follower';

export interface TabLinkDeps {
  /** Whether to link tabs at all (the `tabs` option). */
  enabled: boolean;
  /** Runs a `ChatClient` method in this tab (a follower's command, or one queued before a leader was known). */
  run(name: TabCommand, args: unknown[]): Promise<unknown>;
  /** Sends a typing frame for this browser; true when the backend will echo it to this socket. */
  sendTyping(conversationId: Id, isTyping: boolean): boolean;
  log: Logger;
}

interface PendingCommand {
  name: TabCommand;
  args: unknown[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class TabLink {
  readonly #p: ClientParts;
  readonly #deps: TabLinkDeps;
  readonly #id = newClientId();
  readonly #view: FollowerView;
  #role: TabRole = 'solo';
  /** Linked, but no leader known yet: commands wait, the outbox does not flush. */
  #joining = false;
  #owner: string | null = null;
  #channel: BroadcastChannel | null = null;
  #lock: LeaderLock | null = null;
  #pending = new Map<string, PendingCommand>();
  /** Off for the rest of the page (the shared outbox storage failed, or the client was destroyed). */
  #off: boolean;
  /** Set while this tab shows another tab's typing: that is not forwarded as the leader's. */
  #localTyping = false;
  #unlisten: () => void = () => {};

  constructor(p: ClientParts, deps: TabLinkDeps) {
    this.#p = p;
    this.#deps = deps;
    this.#off = !deps.enabled || !tabSupport();
    this.#view = new FollowerView(p);
    p.events.tap((name, payload) => this.#tapped(name, payload));
  }

  /** `solo`, `leader` or `follower` (a tab waiting for its first leader counts as a follower). */
  get role(): TabRole {
    return this.#joining ? 'follower' : this.#role;
  }

  /** Whether the leader does the work for this tab: no socket, no outbox flush here. */
  get follows(): boolean {
    return this.role === 'follower';
  }

  /**
   * Links this tab with the others of `owner` (a server and user), or unlinks it (null). Called
   * when the signed-in user changes.
   */
  setOwner(owner: string | null): void {
    if (owner === this.#owner && (this.#channel || this.#off)) return;
    this.#leave();
    this.#owner = owner;
    const support = tabSupport();
    if (!owner || this.#off || !support) return;
    this.#channel = new support.Channel(`parley-tabs ${owner}`);
    this.#channel.onmessage = (event: MessageEvent<TabMessage>) => this.#received(event.data);
    this.#joining = true;
    this.#lock = new LeaderLock(support.locks, `parley-leader ${owner}`, {
      lead: () => this.#lead(),
      lose: () => this.#lost(),
    });
    this.#lock.join();
    this.#unlisten = letGoWhenAway(this.#lock);
    this.#post({ t: 'hello', from: this.#id });
  }

  /** Works alone for the rest of the page (the shared outbox could not be used, or the client is destroyed). */
  solo(): void {
    if (this.#off) return;
    this.#off = true;
    const wasFollowing = this.follows;
    this.#leave();
    const id = this.#p.ctx.conversationId;
    if (wasFollowing && id && !this.#p.ctx.destroyed) void this.#deps.run('connect', [id]).catch(() => undefined);
  }

  /**
   * Runs a command where the work is done: here when leading or alone, else in the leader (once
   * one is known). Resolves or rejects as the method did there.
   */
  command(name: TabCommand, ...args: unknown[]): Promise<unknown> {
    if (!this.follows) return this.#deps.run(name, args);
    return new Promise((resolve, reject) => {
      const id = newClientId();
      this.#pending.set(id, { name, args, resolve, reject });
      this.#post({ t: 'command', from: this.#id, id, name, args });
    });
  }

  /** This tab wrote a send to the shared outbox: a follower tells the leader. */
  queued(entry: QueuedOutboxEntry): void {
    if (this.follows) this.#post({ t: 'queued', from: this.#id, entry });
  }

  /** This tab's user typed: the other tabs show it. */
  typed(conversationId: Id, isTyping: boolean): void {
    const { ctx, tokens } = this.#p;
    const username = ctx.user?.username ?? tokens.username;
    if (!this.#channel || !username) return;
    const displayName = this.#p.displayName() || username;
    const userId = ctx.user?.id || null;
    this.#post({ t: 'typing', from: this.#id, conversationId, userId, username, displayName, isTyping });
  }

  /** Unlinks for good (the client is destroyed). */
  close(): void {
    this.#off = true;
    this.#leave();
  }

  #leave(): void {
    const lock = this.#lock;
    this.#lock = null;
    this.#role = 'solo';
    this.#joining = false;
    lock?.leave();
    this.#channel?.close();
    this.#channel = null;
    this.#unlisten();
    this.#unlisten = () => {};
    this.#view.clear();
    // Nobody leads for this tab any more: what waited for a leader runs here.
    for (const [id, c] of this.#pending) {
      this.#pending.delete(id);
      if (this.#p.ctx.destroyed) c.reject(new Error('The client was destroyed'));
      else this.#deps.run(c.name, c.args).then(c.resolve, c.reject);
    }
  }

  /** This tab got the lock: it opens the socket, catches up, sends the shared outbox. */
  #lead(): void {
    const p = this.#p;
    this.#role = 'leader';
    this.#joining = false;
    this.#deps.log('leading');
    this.#post(this.#hello());
    const owner = this.#owner;
    void p.outbox.reload().then((entries) => {
      if (this.#role !== 'leader' || this.#owner !== owner) return;
      for (const entry of entries) p.store.addPending(entry, p.displayName());
      p.outbox.kick();
    });
    const id = p.ctx.conversationId;
    const status = p.connection.state.status;
    const running = !p.connection.mirrored && status !== 'idle' && status !== 'closed';
    if (id && !running) {
      p.poller.stop();
      p.connection.start(id);
      void p.sync.load(id).catch(() => undefined);
    }
    for (const [commandId, c] of this.#pending) {
      this.#pending.delete(commandId);
      this.#deps.run(c.name, c.args).then(c.resolve, c.reject);
    }
  }

  /** This tab let go of the lock (its page is hidden or frozen): it follows whoever leads next. */
  #lost(): void {
    if (this.#role !== 'leader') return;
    this.#role = 'follower';
    this.#deps.log('following');
    this.#p.poller.stop();
    this.#p.connection.mirror({ status: 'connecting', attempt: 1 });
    this.#post({ t: 'hello', from: this.#id });
  }

  #hello(): LeaderHello {
    const { ctx, connection, store } = this.#p;
    const ids = [...new Set([ctx.conversationId ?? '', ''])];
    return {
      t: 'leader',
      from: this.#id,
      state: connection.state,
      conversationId: ctx.conversationId,
      user: ctx.user,
      seed: this.#p.backend.seed,
      lists: ids.map((id) => [id, [...store.list(id)]]),
    };
  }

  /** Every event of this client: the leader forwards it; a follower notes its own sends. */
  #tapped<K extends keyof ClientEvents>(name: K, payload: ClientEvents[K]): void {
    if (this.#role === 'follower' && name === 'message' && !this.#view.replaying)
      this.#view.ownSend(payload as ClientEvents['message']);
    if (this.#role !== 'leader' || LOCAL_EVENTS.has(name) || (name === 'typing' && this.#localTyping)) return;
    const list =
      name === 'messages' ? [...this.#p.store.list((payload as ClientEvents['messages']).conversationId)] : undefined;
    const data = name === 'error' ? errorToWire(payload) : payload;
    this.#post({ t: 'event', from: this.#id, name, payload: data, list, seed: this.#p.backend.seed });
  }

  #received(message: TabMessage): void {
    if (this.#p.ctx.destroyed) return;
    switch (message.t) {
      case 'hello':
        if (this.#role === 'leader') this.#post(this.#hello());
        return;
      case 'leader':
        if (this.#role === 'leader') return;
        this.#role = 'follower';
        this.#joining = false;
        this.#p.poller.stop();
        this.#p.backend.seed ??= message.seed;
        this.#view.leader(message);
        // Commands sent before this leader took over may have been lost with the previous one.
        for (const [id, c] of this.#pending)
          this.#post({ t: 'command', from: this.#id, id, name: c.name, args: c.args });
        return;
      case 'event':
        if (this.#role !== 'follower') return;
        this.#p.backend.seed ??= message.seed;
        return this.#view.apply(message);
      case 'command':
        if (this.#role === 'leader') runCommand(message, this.#deps.run, (reply) => this.#post(reply));
        return;
      case 'reply': {
        const pending = message.to === this.#id ? this.#pending.get(message.id) : undefined;
        if (!pending) return;
        this.#pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else
          pending.reject(errorFromWire(message.error ?? { name: 'ParleyError', message: 'Failed in the leader tab' }));
        return;
      }
      case 'queued':
        if (this.#role === 'leader' && this.#p.outbox.adopt(message.entry))
          this.#p.store.addPending(message.entry, this.#p.displayName());
        return;
      case 'typing':
        return this.#typing(message);
    }
  }

  /** Another tab's user typed: shown here; the leader also sends it to the server. */
  #typing(message: Extract<TabMessage, { t: 'typing' }>): void {
    const p = this.#p;
    if (message.conversationId !== p.ctx.conversationId) return;
    const { conversationId, userId, username, displayName, isTyping } = message;
    this.#localTyping = true;
    try {
      p.typing.update({ conversationId, userId, username, displayName, isTyping });
    } finally {
      this.#localTyping = false;
    }
    if (this.#role === 'leader' && this.#deps.sendTyping(conversationId, isTyping)) p.ownTyping.expectEcho(isTyping);
  }

  #post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch (error) {
      this.#deps.log('tab message not sent', String(error));
    }
  }
}
