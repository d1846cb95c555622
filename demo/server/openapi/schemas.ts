/**
 * The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of PROTOCOL.md §3 objects and of the error
 * bodies, under `components.schemas` of the document `/api/schema/` serves. Objects leave extra
 * properties allowed: a newer server may add fields, and clients must ignore what they do not know.
 */

/** A JSON Schema object. */
export type Schema = Record<string, unknown>;

/** A reference to one of the schemas below. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});

const id: Schema = { type: 'string', pattern: '^[0-9]+$', description: 'Ids are strings of decimal digits.' };
const timestamp: Schema = { type: 'string', format: 'date-time', examples: ['2026-11-25T10:00:00.123Z'] };
const messageType: Schema = { type: 'string', enum: ['user', 'bot', 'system'] };

/** `components.schemas`. */
export const schemas: Record<string, Schema> = {
  Id: id,
  User: object({ id: ref('Id'), username: { type: 'string' }, display_name: { type: 'string' } }),
  LoginRequest: object({
    username: { type: 'string', examples: ['alice'] },
    password: { type: 'string', format: 'password', examples: ['alice123'] },
  }),
  LoginResponse: object({
    token: { type: 'string', description: 'Access JWT (15 min).' },
    refresh: { type: 'string', description: 'Refresh JWT (7 days, rotated on each refresh).' },
    username: { type: 'string' },
  }),
  RefreshRequest: object({ refresh: { type: 'string' } }),
  RefreshResponse: object({ token: { type: 'string' }, refresh: { type: 'string' } }),
  LogoutRequest: object({ refresh: { type: 'string' } }, []),
  Attachment: object({
    attachment_id: ref('Id'),
    file_url: { type: 'string', pattern: '^/uploads/[0-9a-f]{32}$', description: 'Relative and unguessable.' },
    file_name: { type: 'string', description: 'The original name: display text only.' },
    file_size: { type: 'integer', minimum: 0, maximum: 10 * 1024 * 1024 },
    content_type: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf'] },
  }),
  Message: object(
    {
      id: ref('Id'),
      seq: { type: 'integer', minimum: 1, description: 'Per conversation, from 1, no gaps.' },
      conversation_id: ref('Id'),
      conversation: { ...ref('Id'), description: 'Same as conversation_id (the seed name).' },
      client_id: nullable({ type: 'string' }),
      type: messageType,
      text: { type: 'string' },
      sender: nullable({ type: 'string', description: 'Username; null for the bot and system messages.' }),
      sender_name: { type: 'string' },
      attachment: nullable(ref('Attachment')),
      status: { type: 'string', enum: ['sent', 'delivered', 'read'] },
      created_at: timestamp,
      stream_state: nullable({ type: 'string', enum: ['streaming', 'complete', 'stopped', 'failed'] }),
    },
    [
      'id',
      'seq',
      'conversation_id',
      'conversation',
      'client_id',
      'type',
      'text',
      'sender',
      'sender_name',
      'attachment',
      'status',
      'created_at',
    ],
  ),
  Participant: object({
    id: { ...ref('Id'), description: "The user's id." },
    username: { type: 'string' },
    display_name: { type: 'string' },
    role: { type: 'string', enum: ['owner', 'member', 'agent'] },
    joined_at: timestamp,
    last_read_at: nullable(timestamp),
  }),
  LastMessage: object({
    id: ref('Id'),
    text: { type: 'string' },
    type: messageType,
    sender: nullable({ type: 'string' }),
    created_at: timestamp,
  }),
  Conversation: object({
    id: ref('Id'),
    title: { type: 'string' },
    created_at: timestamp,
    updated_at: timestamp,
    participant_count: { type: 'integer', minimum: 0 },
    participants: { type: 'array', items: ref('Participant') },
    last_message: nullable(ref('LastMessage')),
  }),
  ConversationPage: object({
    next: nullable({ type: 'string', format: 'uri' }),
    previous: nullable({ type: 'string', format: 'uri' }),
    results: { type: 'array', items: ref('Conversation'), maxItems: 20 },
  }),
  BotPrompt: object({ id: ref('Id'), title: { type: 'string' }, text: { type: 'string' }, order: { type: 'integer' } }),
  UserResponseRequest: object(
    {
      message: { type: 'string', description: '1..1000 code points, trimmed; may be empty with an attachment.' },
      conversation_id: ref('Id'),
      client_id: { type: 'string', description: 'Idempotency key: a repeat returns the original answer.' },
      attachment_id: ref('Id'),
    },
    ['message'],
  ),
  UserResponse: object({ conversation_id: ref('Id'), message_id: ref('Id') }),
  BotResponseRequest: object({ conversation_id: ref('Id') }),
  BotResponse: object({ message: { type: 'string' }, message_id: ref('Id') }),
  CreateConversationRequest: object({ title: { type: 'string', maxLength: 200 } }, []),
  AddParticipantRequest: object(
    { username: { type: 'string' }, role: { type: 'string', enum: ['owner', 'member', 'agent'], default: 'member' } },
    ['username'],
  ),
  TypingRequest: object({ conversation_id: ref('Id'), is_typing: { type: 'boolean' } }),
  WsTicketRequest: object({ conversation_id: ref('Id') }),
  WsTicket: object({
    ticket: { type: 'string', description: 'Single use, for `/ws/chat/<id>/?ticket=`.' },
    expires_in: { type: 'integer', description: 'Seconds.' },
  }),
  Success: object({ status: { const: 'success' } }),
  Health: object({ ok: { const: true } }),
  Error: {
    ...object({ detail: { type: 'string' }, code: { type: 'string' } }),
    description: 'Every error that is not about one field.',
  },
  FieldErrors: {
    type: 'object',
    description: 'Validation errors: each field names its messages.',
    additionalProperties: { type: 'array', items: { type: 'string' }, minItems: 1 },
    minProperties: 1,
  },
  BotError: { ...object({ error: { type: 'string' } }), description: "bot-response keeps the seed's error shape." },
};
