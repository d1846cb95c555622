// The headless client with a hand-made UI. With a bundler this line reads:
//   import { ChatClient } from 'parley-chat';
// (see esm.html for why this page takes it from window.Parley instead).
const { ChatClient } = window.Parley;

const client = new ChatClient({ apiUrl: window.location.origin });
const $ = (id) => document.getElementById(id);

function showError(err) {
  $('error').textContent = err ? `${err.name ?? 'Error'}: ${err.message ?? err}` : '';
}

function render() {
  const items = client.messages().map((message) => {
    const item = document.createElement('li');
    item.dataset.type = message.type;
    item.dataset.status = message.status;
    const who = document.createElement('strong');
    who.textContent = `${message.senderName}: `;
    const text = document.createElement('span');
    text.textContent = message.text;
    const status = document.createElement('small');
    status.textContent = message.own ? ` (${message.status})` : '';
    item.append(who, text, status);
    return item;
  });
  $('messages').replaceChildren(...items);
}

client.on('state', (state) => {
  $('state').textContent = state.status;
});
client.on('messages', render);
client.on('conversation', ({ conversationId }) => {
  $('conversation').textContent = conversationId ?? 'none';
  render();
});
client.on('error', showError);

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    showError(null);
    await client.login(String(form.get('username')), String(form.get('password')));
    // Resume the newest conversation, if there is one; the first send creates one otherwise.
    const page = await client.listConversations();
    if (page.results.length > 0) await client.connect(page.results[0].id);
    $('login').hidden = true;
    $('chat').hidden = false;
  } catch (err) {
    showError(err);
  }
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = event.target.elements.text;
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  try {
    await client.send(text); // resolves once the message is in the durable outbox
    client.setTyping(false);
  } catch (err) {
    showError(err);
  }
});
