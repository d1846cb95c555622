/**
 * `BOT_PROVIDER=openai`: replies from any OpenAI-compatible chat-completions endpoint (OpenAI,
 * Groq, a local llama.cpp or Ollama server), streamed through the `openai` client library, with
 * the conversation's recent messages as context (PROTOCOL §7).
 *
 * The reply's signal reaches the HTTP request: a stop, a timeout or a shutdown closes it. The
 * library's own retries are off: a failed reply fails at once with a short human text
 * (`generate.ts`), and the user can ask again.
 */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message } from '../../../src/types.js';
import type { Bot, BotInput } from './bot.js';

/** Said to the model before the conversation when `BOT_SYSTEM_PROMPT` is not set. */
export const DEFAULT_SYSTEM_PROMPT =
  'You are a helpful assistant in a customer chat. Answer briefly and clearly. You may use Markdown.';

export interface OpenAiBotOptions {
  /** The endpoint, up to `/v1` (default OpenAI's). */
  baseURL?: string;
  /** Sent as the bearer token; a local server may need none. */
  apiKey?: string;
  model: string;
  systemPrompt?: string;
}

/** The conversation as chat-completions messages: users, the bot's earlier replies, no system lines. */
export function toChatMessages(history: Message[], systemPrompt: string): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: systemPrompt }];
  for (const m of history) {
    if (m.type === 'system' || m.stream_state === 'failed') continue;
    const attachment = m.attachment ? `[attached file: ${m.attachment.file_name}]` : '';
    const content = [m.text, attachment].filter(Boolean).join('\n');
    if (!content) continue;
    messages.push(m.type === 'bot' ? { role: 'assistant', content } : { role: 'user', content });
  }
  return messages;
}

export class OpenAiBot implements Bot {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiBotOptions) {
    this.client = new OpenAI({
      baseURL: options.baseURL,
      // The library refuses to start without a key; a local server ignores it.
      apiKey: options.apiKey || 'not-needed',
      maxRetries: 0,
    });
  }

  async *reply({ history, signal }: BotInput): AsyncIterable<string> {
    const stream = await this.client.chat.completions.create(
      {
        model: this.options.model,
        stream: true,
        messages: toChatMessages(history, this.options.systemPrompt || DEFAULT_SYSTEM_PROMPT),
      },
      { signal },
    );
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (text) yield text;
    }
  }
}
