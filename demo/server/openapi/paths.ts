/**
 * `paths` of the OpenAPI document: every REST route of PROTOCOL.md §1-§2 the reference server
 * answers, with its body, its answers and errors, and whether it needs the bearer token.
 * `test/demo/server/openapi.test.ts` calls each one for real and validates the answers against it.
 */
import { body, errorResponse, idParam, intQuery, json, open, readErrors, writeErrors } from './operations.js';
import { ref } from './schemas.js';

const auth = ['auth'];
const chat = ['chat'];
const seed = 'Seed-compatible: a seed backend answers this route too.';

/** OpenAPI `paths`: route template -> method -> operation. */
export const paths = {
  '/api/auth/login': {
    post: {
      tags: auth,
      summary: 'Sign in with a username and password',
      description: `Failed attempts are limited to 10 per 15 min per username and IP. ${seed}`,
      ...open,
      requestBody: body('LoginRequest'),
      responses: {
        200: json('Signed in: an access token and a refresh token.', ref('LoginResponse')),
        400: errorResponse('BadRequest'),
        401: json('Wrong username or password (`authentication_failed`).', ref('Error')),
        429: errorResponse('TooManyRequests'),
      },
    },
  },
  '/api/auth/refresh': {
    post: {
      tags: auth,
      summary: 'Exchange a refresh token for a new pair (rotation)',
      description: 'The old refresh token keeps working for 30 s; reusing it later revokes the whole login.',
      ...open,
      requestBody: body('RefreshRequest'),
      responses: {
        200: json('A new access token and a new refresh token.', ref('RefreshResponse')),
        400: errorResponse('BadRequest'),
        401: json('Invalid, expired, revoked or not a refresh token (`token_not_valid`).', ref('Error')),
      },
    },
  },
  '/api/auth/me': {
    get: {
      tags: auth,
      summary: 'The signed-in user',
      description: seed,
      responses: { 200: json('The user of the token.', ref('User')), 401: errorResponse('Unauthorized') },
    },
  },
  '/api/auth/logout': {
    post: {
      tags: auth,
      summary: 'Revoke a refresh token',
      description: `No token needed; access tokens simply expire. ${seed}`,
      ...open,
      requestBody: body('LogoutRequest', false),
      responses: { 204: { description: 'Signed out (also when the token was unknown).' } },
    },
  },
  '/api/user-response/': {
    post: {
      tags: chat,
      summary: 'Post a message (creates a conversation when none is given)',
      description: `Idempotent by \`client_id\`: a repeat answers the original 201 and stores nothing. The bot answers every user message. ${seed}`,
      requestBody: body('UserResponseRequest'),
      responses: {
        201: json('Stored.', ref('UserResponse')),
        ...writeErrors,
        404: errorResponse('NotFound'),
      },
    },
  },
  '/api/bot-response/': {
    post: {
      tags: chat,
      summary: "The bot's reply to the newest user message",
      description: `Waits for the reply if it is still being written. Errors keep the seed's \`{error}\` shape. ${seed}`,
      requestBody: body('BotResponseRequest'),
      responses: {
        200: json("The bot's reply.", ref('BotResponse')),
        400: json('No conversation id, or no user message to answer.', ref('BotError')),
        401: errorResponse('Unauthorized'),
        404: json('A conversation the caller does not take part in.', ref('BotError')),
        429: errorResponse('TooManyRequests'),
      },
    },
  },
  '/api/bot-prompts/': {
    get: {
      tags: chat,
      summary: 'Quick prompts',
      description: seed,
      responses: {
        200: json('The prompts, in order.', { type: 'array', items: ref('BotPrompt') }),
        401: errorResponse('Unauthorized'),
      },
    },
  },
  '/api/chat/conversations/': {
    get: {
      tags: chat,
      summary: "The caller's conversations, newest activity first",
      description: `20 a page; \`next\` and \`previous\` are absolute URLs. ${seed}`,
      parameters: [{ name: 'cursor', in: 'query', required: false, schema: { type: 'string' } }],
      responses: {
        200: json('One page.', ref('ConversationPage')),
        400: errorResponse('BadRequest'),
        401: errorResponse('Unauthorized'),
      },
    },
    post: {
      tags: chat,
      summary: 'Create a conversation (the caller is its owner)',
      requestBody: body('CreateConversationRequest', false),
      responses: { 201: json('Created.', ref('Conversation')), ...writeErrors },
    },
  },
  '/api/chat/conversations/{id}/': {
    get: {
      tags: chat,
      summary: 'One conversation',
      description: seed,
      parameters: [idParam('conversation')],
      responses: { 200: json('The conversation.', ref('Conversation')), ...readErrors },
    },
  },
  '/api/chat/conversations/{id}/messages/': {
    get: {
      tags: chat,
      summary: 'Messages of a conversation, oldest first',
      description: `A window by \`after_seq\` (the next ones) or \`before_seq\` (the page before), or the seed's \`limit\`/\`offset\`. ${seed}`,
      parameters: [
        idParam('conversation'),
        intQuery('limit', 'How many (default 50).', { minimum: 1, maximum: 200, default: 50 }),
        intQuery('after_seq', 'Messages after this seq.'),
        intQuery('before_seq', 'The page before this seq.'),
        intQuery('offset', 'Seed paging: skip this many.'),
      ],
      responses: {
        200: json('The messages.', { type: 'array', items: ref('Message') }),
        400: errorResponse('BadRequest'),
        ...readErrors,
      },
    },
  },
  '/api/chat/conversations/{id}/participants/': {
    post: {
      tags: chat,
      summary: 'Add a participant (owner only)',
      parameters: [idParam('conversation')],
      requestBody: body('AddParticipantRequest'),
      responses: {
        200: json('Already a participant.', ref('Participant')),
        201: json('Added; a system message says so.', ref('Participant')),
        ...writeErrors,
        403: json('The caller is not the owner.', ref('Error')),
        404: errorResponse('NotFound'),
      },
    },
  },
  '/api/chat/messages/{id}/': {
    get: {
      tags: chat,
      summary: 'One message, with its current text and `stream_state`',
      description:
        'A streamed bot reply grows while it is written: a client that missed a `message:delta` (a gap) or follows the chat over HTTP reads the reply here until it ends.',
      parameters: [idParam('message')],
      responses: { 200: json('The message.', ref('Message')), ...readErrors },
    },
  },
  '/api/chat/messages/{id}/cancel/': {
    post: {
      tags: chat,
      summary: 'Stop a streaming bot reply for everyone',
      description:
        'Any participant may. The generation stops, the text so far is stored `stopped` and `message:end` goes to every socket. A reply that already ended (or a message never streamed) is left as it is and answered as it is.',
      parameters: [idParam('message')],
      responses: {
        200: json('The reply as it ended (`stopped`), or as it already was.', ref('Message')),
        ...readErrors,
        429: errorResponse('TooManyRequests'),
      },
    },
  },
  '/api/chat/messages/{id}/read/': {
    post: {
      tags: chat,
      summary: 'Mark read up to this message',
      description: seed,
      parameters: [idParam('message')],
      responses: {
        200: json('Marked.', ref('Success')),
        ...readErrors,
        429: errorResponse('TooManyRequests'),
      },
    },
  },
  '/api/chat/typing/': {
    post: {
      tags: chat,
      summary: 'Say the caller is typing, or stopped',
      description: `Sent to every socket of the conversation. ${seed}`,
      requestBody: body('TypingRequest'),
      responses: { 200: json('Sent.', ref('Success')), ...writeErrors, 404: errorResponse('NotFound') },
    },
  },
  '/api/chat/upload/': {
    post: {
      tags: chat,
      summary: 'Upload an attachment (JPEG, PNG, GIF, WebP or PDF, at most 10 MiB)',
      description: `The type is decided by the content, not the declared type. Use the answer's \`attachment_id\` in a message. ${seed}`,
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'string', format: 'binary' }, conversation_id: ref('Id') },
              required: ['file'],
            },
          },
        },
      },
      responses: {
        201: json('Stored.', ref('Attachment')),
        ...writeErrors,
        404: errorResponse('NotFound'),
        415: json('Not a JPEG, PNG, GIF, WebP or PDF (`unsupported_media_type`).', ref('Error')),
      },
    },
  },
  '/api/chat/ws-ticket/': {
    post: {
      tags: chat,
      summary: 'A single-use ticket for the chat socket',
      description: 'Open `ws(s)://<host>/ws/chat/<conversation_id>/?ticket=<ticket>` within `expires_in` seconds.',
      requestBody: body('WsTicketRequest'),
      responses: { 200: json('The ticket.', ref('WsTicket')), ...writeErrors, 404: errorResponse('NotFound') },
    },
  },
  '/healthz': {
    get: {
      tags: ['operations'],
      summary: 'Liveness',
      ...open,
      responses: { 200: json('The server answers.', ref('Health')) },
    },
  },
  '/uploads/{name}': {
    get: {
      tags: ['operations'],
      summary: 'An uploaded file (public, unguessable URL)',
      description: 'PDFs come as attachments; every file with `X-Content-Type-Options: nosniff`.',
      ...open,
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' } }],
      responses: {
        200: {
          description: 'The file.',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        404: errorResponse('NotFound'),
      },
    },
  },
};
