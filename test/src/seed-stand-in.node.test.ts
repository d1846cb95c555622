// The seed stand-in (test/support/seed-*.ts) against the recordings of a real seed backend
// (../shared/seed-backend/rest.json and auth.json): every recorded request is replayed, in order,
// and the stand-in must answer with the same status, the same content type, and the same body
// shape (keys in the same order, the same JSON type per field, `Z` timestamps with microseconds);
// error bodies, bot replies, prompts and `{status}` answers must be equal word for word.
// Ids differ (the recorded database had history): recorded ids are mapped to the stand-in's as
// the answers reveal them. Runs in Node: the stand-in is plain Request/Response code.
// Run with: node --import tsx --test test/src/seed-stand-in.node.test.ts
import type Assert from 'node:assert/strict';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

interface Exchange {
  name: string;
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string | null>; body: unknown };
}

/** A value's shape: its JSON type, `[key, shape]` pairs in order for objects, the first element for arrays. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === 'object') return Object.entries(value as object).map(([k, v]) => [k, shape(v)]);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT[\d:]+\.\d{6}Z$/.test(value)) return 'time';
  return typeof value;
}

/** Where both shapes are known, they agree (a null on either side stands for data, not type). */
function agree(a: unknown, b: unknown): boolean {
  if (a === 'null' || b === 'null') return true;
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  const objects = a.every((x) => Array.isArray(x) && typeof x[0] === 'string');
  if (!objects || !b.every((x) => Array.isArray(x) && typeof x[0] === 'string'))
    return !a.length || !b.length || agree(a[0], b[0]);
  return a.length === b.length && a.every((pair, i) => pair[0] === b[i][0] && agree(pair[1], b[i][1]));
}

if (isNode) {
  const { test } = (await import('node:' + 'test')) as typeof import('node:test');
  const assert: typeof Assert = ((await import('node:assert/' + 'strict')) as { default: typeof Assert }).default;
  const { readFileSync } = (await import('node:' + 'fs')) as typeof import('node:fs');
  const { MockState } = await import('../support/mock-state.js');
  const { routeSeed } = await import('../support/seed-rest.js');
  const recorded = (file: string): Exchange[] =>
    JSON.parse(readFileSync(new URL(`../../../shared/seed-backend/${file}`, import.meta.url), 'utf8'));

  test('the seed stand-in answers every recorded REST request as the recorded seed did', async () => {
    const state = new MockState('seed', 3600);
    const origin = 'http://127.0.0.1:8800';
    const alice = state.issueTokens('alice');
    const bob = state.issueTokens('bob');
    const tokens: Record<string, string> = {
      '<alice access token>': alice.token,
      '<alice access token #2>': alice.token,
      '<bob access token>': bob.token,
      '<alice refresh token>': alice.refresh,
      '<alice expired access token>': 'an.expired.token',
    };
    /** Recorded id -> the stand-in's id (conversations and messages). */
    const ids = new Map<string, string>();
    const mapIds = (text: string): string => text.replace(/\b\d{2,3}\b/g, (id) => ids.get(id) ?? id);
    let nextPage = '';
    const mismatches: string[] = [];

    for (const exchange of [...recorded('auth.json'), ...recorded('rest.json')]) {
      const { name, request, response } = exchange;
      if (/throttle/.test(name)) continue; // 100 logins a minute: not part of the stand-in
      // What the recorder did straight in the database, the stand-in does through its state.
      if (/no user message/.test(name)) ids.set('31', String(state.createConversation('alice').id));
      if (/55-message conversation, no limit/.test(name)) {
        const c = state.createConversation('alice');
        for (let i = 1; i <= 55; i++)
          state.storeMessage(c.id, { text: `msg ${String(i).padStart(2, '0')}`, sender: 'alice', type: 'user' });
        ids.set('32', String(c.id));
      }
      if (/more than 20 conversations/.test(name))
        for (let i = 1; i <= 22; i++) {
          const c = state.createConversation('bob');
          state.storeMessage(c.id, { text: `bob conversation filler ${i}`, sender: 'bob', type: 'user' });
        }
      if (/two-participant conversation, as bob \(after/.test(name)) {
        const c = state.conversations.get(Number(ids.get('34')))!;
        c.participants.push({
          rowId: state.nextRowId(),
          userId: 2,
          role: 'member',
          joinedAt: c.createdAt,
          lastReadAt: null,
        });
      }

      let path = mapIds(request.path);
      if (/"next" URL/.test(name)) path = nextPage;
      const headers = new Headers();
      const auth = request.headers.Authorization;
      if (auth) headers.set('authorization', `Bearer ${tokens[auth.slice(7)] ?? auth.slice(7)}`);
      let body: BodyInit | undefined;
      let parsed: unknown = null;
      const raw = request.body as { multipart?: Record<string, string>[] } | null;
      if (raw?.multipart) {
        const form = new FormData();
        for (const part of raw.multipart) {
          if (part.value !== undefined) form.append(part.name!, part.value);
          else
            form.append(
              part.name!,
              new File([Buffer.from(part.bytes_base64!, 'base64')], part.filename!, { type: part.content_type }),
            );
        }
        body = form;
        parsed = '[multipart]';
      } else if (raw !== null) {
        const text = JSON.stringify(raw).replace(/"conversation_id":"?(\d+)"?/, (m, id: string) =>
          m.replace(id, ids.get(id) ?? id),
        );
        body = text;
        parsed = JSON.parse(text);
        headers.set('content-type', 'application/json');
      }
      const url = new URL(path, origin);
      const answer = await routeSeed(
        { state, origin },
        {
          request: new Request(url, { method: request.method, headers, body }),
          method: request.method,
          path: url.pathname,
          query: url.searchParams,
          body: parsed,
        },
      );
      const type = answer.headers.get('content-type');
      const text = await answer.text();
      const actual: unknown = type === 'application/json' ? JSON.parse(text) : text;
      const fail = (what: string): void => void mismatches.push(`${name}: ${what}`);
      if (answer.status !== response.status) fail(`status ${answer.status}, recorded ${response.status}`);
      if (type !== response.headers['content-type'])
        fail(`content-type ${type}, recorded ${response.headers['content-type']}`);
      if (typeof response.body === 'string') {
        if (response.body && !(actual as string).startsWith('<!DOCTYPE html>')) fail('not an HTML page');
        continue;
      }
      const onlyStatus = JSON.stringify(response.body) === '{"status":"success"}';
      const exact = response.status >= 400 || onlyStatus || /bot-(response|prompts)/.test(request.path);
      if (exact && JSON.stringify(actual) !== JSON.stringify(response.body))
        fail(`body ${JSON.stringify(actual)}, recorded ${JSON.stringify(response.body)}`);
      if (!agree(shape(actual), shape(response.body)))
        fail(`shape ${JSON.stringify(shape(actual))}, recorded ${JSON.stringify(shape(response.body))}`);
      // Learn the stand-in's ids from what it answered.
      const got = actual as Record<string, unknown>;
      const want = response.body as Record<string, unknown>;
      if (typeof want?.conversation_id === 'string' && typeof got?.conversation_id === 'string') {
        ids.set(want.conversation_id, got.conversation_id);
        ids.set(String(want.message_id), String(got.message_id));
      }
      if (typeof got?.next === 'string') nextPage = new URL(got.next).pathname + new URL(got.next).search;
    }
    assert.deepEqual(mismatches, []);
  });
}
