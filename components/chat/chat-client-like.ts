/**
 * The part of `ChatClient` (docs/CONTRACT.md) the element uses. Typed structurally so the view can
 * be driven by the real client or by any object with the same shape (a shared client, a test double).
 */
import type {
  Attachment,
  BotPrompt,
  ChatMessage,
  ClientEvents,
  Conversation,
  ConversationPage,
  ConnectionState,
  Id,
  TypingChange,
  User,
} from '../../src/index.js';

export interface UploadProgress {
  loaded: number;
  total: number;
  fraction: number;
}

export interface ChatClientLike {
  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void;
  readonly state: ConnectionState;
  readonly user: User | null;
  /** `seed` hides what a seed backend cannot do (optional: a test double may leave it out). */
  readonly backend?: 'reference' | 'seed' | null;
  isAuthenticated(): boolean;
  isConnected(): boolean;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  me(): Promise<User>;
  connect(conversationId: Id): Promise<void>;
  disconnect(): void;
  retryNow(): void;
  getConversationId(): Id | null;
  send(text: string, options?: { conversationId?: Id; attachmentId?: Id }): Promise<ChatMessage>;
  retry(clientId: string): Promise<void>;
  /** Stops a streaming bot reply for everyone (PROTOCOL §8). */
  cancel(messageId: Id): Promise<void>;
  uploadAttachment(
    file: Blob & { name?: string },
    options?: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal; conversationId?: Id },
  ): Promise<Attachment>;
  listConversations(options?: { cursor?: string }): Promise<ConversationPage>;
  createConversation(options?: { title?: string }): Promise<Conversation>;
  markRead(messageId?: Id): Promise<void>;
  setTyping(isTyping: boolean): void;
  getPrompts(): Promise<BotPrompt[]>;
  messages(conversationId?: Id): readonly ChatMessage[];
  loadOlder(conversationId?: Id): Promise<boolean>;
  typingUsers(conversationId?: Id): TypingChange[];
  destroy(): void;
}

/** Compile-time check that the real client satisfies the shape the element needs. */
export type ChatClientSatisfies = import('../../src/index.js').ChatClient extends ChatClientLike ? true : never;
const _check: ChatClientSatisfies = true;
void _check;
