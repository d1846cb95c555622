/**
 * Wire and domain types of the Parley protocol (v1.1, `../shared/PROTOCOL.md`).
 *
 * Shared by the headless client (`src/`) and the reference server (`demo/server`). Ids are
 * strings of decimal digits everywhere; the client normalises a seed backend's integers.
 */

/** A decimal-digit string id (user, conversation, message, participant, prompt, attachment). */
export type Id = string;

/** ISO-8601 UTC timestamp, e.g. `2026-11-25T10:00:00.123Z`. */
export type Timestamp = string;

export const MESSAGE_TYPES = ['user', 'bot', 'system'] as const;
/** Who wrote a message. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Delivery status as the server reports it: the furthest any other participant got. */
export type ServerMessageStatus = 'sent' | 'delivered' | 'read';

/** Delivery status as the client shows it: adds the local `pending` and `failed`. */
export type MessageStatus = 'pending' | ServerMessageStatus | 'failed';

export const PARTICIPANT_ROLES = ['owner', 'member', 'agent'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** A stored upload, attachable to one message. */
export interface Attachment {
  attachment_id: Id;
  /** Relative, unguessable URL: `/uploads/<128-bit random>`. */
  file_url: string;
  /** The original name: display text only. */
  file_name: string;
  file_size: number;
  content_type: string;
}

/** One message of a conversation. */
export interface Message {
  id: Id;
  /** Per-conversation, from 1, strictly increasing, no gaps. Absent on seed backends. */
  seq?: number;
  conversation_id: Id;
  /** Same value as `conversation_id` (the seed's name). */
  conversation: Id;
  client_id: string | null;
  type: MessageType;
  text: string;
  /** Username of the sender; null for the bot and system messages. */
  sender: string | null;
  /** The sender's user id, when the backend gives one (a seed's REST listings do, as `sender`). */
  sender_id?: Id;
  sender_name: string;
  attachment: Attachment | null;
  status: ServerMessageStatus;
  created_at: Timestamp;
  /**
   * v1.2 (§8): a bot reply written while it is generated. `null` (or absent: seed backends and
   * older servers) for every message that was never streamed.
   */
  stream_state?: StreamState | null;
}

/** Where a streamed bot reply is (§8). Only `streaming` changes again; the others are final. */
export const STREAM_STATES = ['streaming', 'complete', 'stopped', 'failed'] as const;
export type StreamState = (typeof STREAM_STATES)[number];
/** How a streamed reply ended. */
export type StreamEndState = Exclude<StreamState, 'streaming'>;

export interface Participant {
  /** The user's id (on a seed backend: the participant row's id, which is not the user's). */
  id: Id;
  username: string;
  display_name: string;
  role: ParticipantRole;
  joined_at: Timestamp;
  last_read_at: Timestamp | null;
}

export interface LastMessage {
  id: Id;
  text: string;
  type: MessageType;
  sender: string | null;
  created_at: Timestamp;
}

export interface Conversation {
  id: Id;
  title: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  participant_count: number;
  participants: Participant[];
  last_message: LastMessage | null;
}

/** A page of conversations, newest `updated_at` first. `next`/`previous` are absolute URLs. */
export interface ConversationPage {
  next: string | null;
  previous: string | null;
  results: Conversation[];
}

export interface BotPrompt {
  id: Id;
  title: string;
  text: string;
  order: number;
}

export interface User {
  id: Id;
  username: string;
  display_name: string;
}

// ---------------------------------------------------------------- REST bodies (§1, §2)

export interface LoginResponse {
  token: string;
  refresh: string;
  username: string;
}

export interface RefreshResponse {
  token: string;
  refresh: string;
}

export interface UserResponseRequest {
  message: string;
  conversation_id?: Id;
  client_id?: string;
  attachment_id?: Id;
}

export interface UserResponseResponse {
  conversation_id: Id;
  message_id: Id;
}

export interface BotResponseResponse {
  message: string;
  /** The reference server's; a seed answers only `{message}` (PROTOCOL §6). */
  message_id?: Id;
}

export interface WsTicketResponse {
  ticket: string;
  /** Seconds. */
  expires_in: number;
}

/** `{detail, code}` error body. Field errors are `Record<field, string[]>` instead. */
export interface ErrorBody {
  detail: string;
  code: string;
}

export type FieldErrors = Record<string, string[]>;

// ---------------------------------------------------------------- WebSocket frames (§4)

export const CLOSE_CODES = {
  /** Closed by the client: no `hello` or no `pong` in time (a dead socket). */
  clientGaveUp: 4000,
  /** Token or ticket missing, invalid, expired or spent. */
  unauthorized: 4001,
  /** Not a participant. */
  forbidden: 4003,
  /** No such conversation (or a malformed id). */
  notFound: 4004,
  /** No close frame: the connection dropped (set by the browser, never sent). */
  abnormal: 1006,
  /** Flood or a disallowed Origin. */
  policy: 1008,
  /** Frame over 64 KiB. */
  tooBig: 1009,
  /** Server restarting. */
  restart: 1012,
  /** Try later. */
  tryAgain: 1013,
} as const;

export const WS_ERROR_CODES = [
  'bad_json',
  'unknown_type',
  'invalid_message',
  'message_too_long',
  'invalid_attachment',
  'rate_limited',
  /** v1.2 (§8): `cancel` of a reply that is not streaming (ended, or not a streamed reply). */
  'not_streaming',
] as const;
export type WsErrorCode = (typeof WS_ERROR_CODES)[number];

/** Frames limited to 64 KiB. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Messages are 1..1000 code points. */
export const MAX_MESSAGE_LENGTH = 1000;
/** Uploads are at most 10 MiB (§3). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type ClientFrame =
  | { type: 'message'; text: string; client_id?: string; attachment_id?: Id }
  | { type: 'typing'; is_typing: boolean }
  | { type: 'read'; message_ids: Id[] }
  | { type: 'sync'; after_seq: number }
  /** v1.2 (§8): stop a streaming bot reply for everyone. */
  | { type: 'cancel'; message_id: Id }
  | { type: 'ping' };

export interface HelloFrame {
  type: 'hello';
  connection_id: string;
  user: User;
  last_seq: number;
}
export interface MessageNewFrame {
  type: 'message:new';
  message: Message;
}
/** v1.2 (§8): `text` goes at `offset` (UTF-16 code units) of the streaming reply's text. */
export interface MessageDeltaFrame {
  type: 'message:delta';
  conversation_id: Id;
  message_id: Id;
  offset: number;
  text: string;
}
/** v1.2 (§8): a streamed reply ended; `text` is its final full text and replaces the client's copy. */
export interface MessageEndFrame {
  type: 'message:end';
  conversation_id: Id;
  message_id: Id;
  stream_state: StreamEndState;
  text: string;
}
export interface MessageAckFrame {
  type: 'message:ack';
  client_id: string | null;
  message_id: Id;
  seq: number;
}
export interface TypingFrame {
  type: 'typing';
  /** Null for the bot. */
  user_id: Id | null;
  username: string;
  is_typing: boolean;
}
export interface ReadFrame {
  type: 'read';
  message_ids: Id[];
  user_id: Id;
  username: string;
  /** Absent on a seed backend. */
  read_at?: Timestamp;
}
export interface PresenceFrame {
  type: 'user_joined' | 'user_left';
  user_id: Id;
  username: string;
}
export interface SyncedFrame {
  type: 'synced';
  last_seq: number;
  more: boolean;
}
export interface PongFrame {
  type: 'pong';
}
export interface ErrorFrame {
  type: 'error';
  code: WsErrorCode;
  message: string;
  /** v1.2: the `client_id` of the `message` frame it is about, when that frame carried one. */
  client_id?: string | null;
}

export type ServerFrame =
  | HelloFrame
  | MessageNewFrame
  | MessageDeltaFrame
  | MessageEndFrame
  | MessageAckFrame
  | TypingFrame
  | ReadFrame
  | PresenceFrame
  | SyncedFrame
  | PongFrame
  | ErrorFrame;
