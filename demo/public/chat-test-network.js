// The test page's network switches. Loaded before /parley.js, so every WebSocket and fetch the client
// makes goes through these wrappers (the client reads window.WebSocket and window.fetch each time it
// connects or requests, so swapping them at run time takes effect on the next attempt).
//
// window.parleyNetwork.blockWebSocket(true|false)  sockets fail at once, open ones are closed
// window.parleyNetwork.goOffline(true|false)       sockets blocked, fetch and XHR fail, 'offline'/'online' fired
(() => {
  const NativeWebSocket = window.WebSocket;
  const nativeFetch = window.fetch.bind(window);
  const live = new Set();
  const state = { wsBlocked: false, offline: false };

  /**
   * A socket that never connects: it reports `error` then `close` (1006, not clean), as a browser does
   * when a proxy or firewall refuses the upgrade. It has the WebSocket shape the client uses.
   */
  class RefusedWebSocket extends EventTarget {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    CONNECTING = 0;
    OPEN = 1;
    CLOSING = 2;
    CLOSED = 3;

    constructor(url, protocols) {
      super();
      this.url = String(url);
      this.protocol = '';
      this.extensions = '';
      this.binaryType = 'blob';
      this.bufferedAmount = 0;
      this.readyState = 0;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this.onclose = null;
      void protocols;
      setTimeout(() => {
        this.readyState = 3;
        this.#fire(new Event('error'));
        this.#fire(new CloseEvent('close', { code: 1006, reason: '', wasClean: false }));
      }, 10);
    }

    #fire(event) {
      const handler = this[`on${event.type}`];
      if (typeof handler === 'function') handler.call(this, event);
      this.dispatchEvent(event);
    }

    send() {
      throw new DOMException(
        "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.",
        'InvalidStateError',
      );
    }

    close() {}
  }

  /** The page's WebSocket: the browser's own, remembered while open, or a refused one while blocked. */
  function PageWebSocket(url, protocols) {
    if (state.wsBlocked || state.offline) return new RefusedWebSocket(url, protocols);
    const socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    live.add(socket);
    socket.addEventListener('close', () => live.delete(socket));
    return socket;
  }
  PageWebSocket.prototype = NativeWebSocket.prototype;
  for (const key of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) PageWebSocket[key] = NativeWebSocket[key];

  window.WebSocket = PageWebSocket;

  window.fetch = (input, init) => {
    if (state.offline) return Promise.reject(new TypeError('Failed to fetch (the test page is offline)'));
    return nativeFetch(input, init);
  };

  // Uploads with a progress bar use XMLHttpRequest (fetch cannot report upload progress over HTTP/1.1).
  const nativeSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function send(body) {
    if (!state.offline) return nativeSend.call(this, body);
    // Never sent: report a network error, as a dropped connection would.
    setTimeout(() => {
      this.dispatchEvent(new ProgressEvent('error'));
      this.dispatchEvent(new ProgressEvent('loadend'));
    }, 10);
  };

  /** Closes every open socket, as a dropped connection would (4000: a code a page may use). */
  function dropSockets(reason) {
    for (const socket of live) socket.close(4000, reason);
    live.clear();
  }

  window.parleyNetwork = {
    get state() {
      return { ...state };
    },
    blockWebSocket(on) {
      state.wsBlocked = Boolean(on);
      if (state.wsBlocked) dropSockets('blocked by the test page');
    },
    goOffline(on) {
      state.offline = Boolean(on);
      if (state.offline) dropSockets('the test page went offline');
      window.dispatchEvent(new Event(state.offline ? 'offline' : 'online'));
    },
  };
})();
