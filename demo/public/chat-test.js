// The live panel of /chat-test: reads the widget and its client, logs the widget's DOM events, and
// wires the network switches (see chat-test-network.js). Everything here uses public API only:
// the element's events, properties and methods, and `el.client` (a ChatClient).

const el = document.querySelector('parley-chat');
const $ = (id) => document.getElementById(id);
const LOG_LIMIT = 200;

/** The connection state as a string, whichever shape the element or client gives it. */
function stateName(state) {
  if (!state) return 'idle';
  if (typeof state === 'string') return state;
  return state.status ?? 'idle';
}

function describeState(state) {
  const name = stateName(state);
  if (typeof state !== 'object' || state === null) return name;
  if (name === 'reconnecting' && state.nextRetryAt) {
    const seconds = Math.max(0, Math.round((state.nextRetryAt - Date.now()) / 1000));
    return `reconnecting (attempt ${state.attempt}, next try in ${seconds} s)`;
  }
  if (name === 'fallback') return 'fallback (HTTP)';
  if (name === 'closed' && state.reason) return `closed (${state.reason})`;
  return name;
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const client = el.client;
    const state = client?.state ?? el.connectionState;
    const name = stateName(state);
    $('status-state').textContent = describeState(state);
    $('status-state').dataset.state = name;
    $('status-user').textContent = client?.user?.username ?? 'nobody yet';
    const transport = client?.transport ?? null;
    $('status-transport').textContent =
      transport === 'websocket' ? 'WebSocket' : transport === 'http' ? 'HTTP (REST + polling)' : 'none';
    $('status-transport').dataset.transport = transport ?? 'none';
    $('status-conversation').textContent = el.getConversationId?.() ?? 'none';
    $('status-outbox').textContent = client ? String(await client.outboxSize()) : '0';
  } catch (err) {
    $('status-outbox').textContent = `unknown (${err?.message ?? err})`;
  } finally {
    refreshing = false;
  }
}

function summarise(type, detail) {
  switch (type) {
    case 'parley-connection-change':
      return describeState(detail?.state);
    case 'parley-conversation-change':
      return `conversation ${detail?.conversationId ?? 'none'}`;
    case 'parley-message': {
      const message = detail?.message ?? detail;
      const who = message?.senderName ?? message?.sender ?? message?.type ?? '?';
      const text = String(message?.text ?? '').slice(0, 80);
      const attachment = message?.attachment ? ` [${message.attachment.file_name ?? 'attachment'}]` : '';
      return `${who} (${message?.status ?? '?'}): ${text}${attachment}`;
    }
    case 'parley-error': {
      const error = detail?.error ?? detail;
      return `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;
    }
    case 'page':
      return String(detail);
    default:
      return JSON.stringify(detail);
  }
}

function log(type, detail) {
  const item = document.createElement('li');
  item.className = 'log-entry';
  item.dataset.type = type;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const name = document.createElement('span');
  name.className = 'log-type';
  name.textContent = type;
  const text = document.createElement('span');
  text.className = 'log-text';
  text.textContent = summarise(type, detail);
  item.append(time, name, text);
  $('log').prepend(item);
  while ($('log').children.length > LOG_LIMIT) $('log').lastElementChild.remove();
}

for (const type of ['parley-connection-change', 'parley-message', 'parley-conversation-change', 'parley-error']) {
  el.addEventListener(type, (event) => {
    log(type, event.detail);
    void refresh();
  });
}

$('block-ws').addEventListener('change', (event) => {
  window.parleyNetwork.blockWebSocket(event.target.checked);
  log('page', event.target.checked ? 'WebSocket blocked' : 'WebSocket unblocked');
  el.client?.retryNow();
  void refresh();
});

$('go-offline').addEventListener('change', (event) => {
  window.parleyNetwork.goOffline(event.target.checked);
  log('page', event.target.checked ? 'offline (simulated)' : 'back online');
  if (!event.target.checked) el.client?.retryNow();
  void refresh();
});

$('retry-now').addEventListener('click', () => el.client?.retryNow());
$('sign-out').addEventListener('click', async () => {
  await el.logout();
  void refresh();
});
$('clear-log').addEventListener('click', () => $('log').replaceChildren());

await customElements.whenDefined('parley-chat');
void refresh();
setInterval(refresh, 500);
