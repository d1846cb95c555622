/**
 * The bot behind an interface: a reply is text, or an async iterable of chunks so a streaming
 * model (an LLM) can be plugged in later. `RuleBot` is the default: rules that match whole
 * words, case-insensitively ("this" is not "hi").
 */
import type { Message, User } from '../../../src/types.js';

export interface BotInput {
  /** The user message to answer. */
  message: Message;
  /** Its sender (null for a sender since deleted). */
  user: User | null;
}

/** A reply: whole text, or chunks that concatenate to it. */
export type BotReply = string | AsyncIterable<string>;

export interface Bot {
  reply(input: BotInput): BotReply | Promise<BotReply>;
}

/** Joins a reply's chunks into its text. */
export async function collectReply(reply: BotReply | Promise<BotReply>): Promise<string> {
  const r = await reply;
  if (typeof r === 'string') return r;
  let text = '';
  for await (const chunk of r) text += chunk;
  return text;
}

interface Rule {
  words: string[];
  answer: (text: string, input: BotInput) => string;
}

const RULES: Rule[] = [
  {
    words: ['hello', 'hi', 'hey', 'hiya', 'greetings'],
    answer: (_t, { user }) =>
      `Hello! 👋 ${user ? `Nice to see you, ${user.display_name || user.username}. ` : ''}How can I help you today?`,
  },
  {
    words: ['help', 'support', 'assist', 'assistance'],
    answer: () =>
      'Here is what I can help with:\n• Orders: checking the status of an order\n• Delivery: shipping times and tracking\n• Products: finding the right product\nJust ask!',
  },
  {
    words: ['order', 'orders', 'status', 'purchase', 'purchases'],
    answer: () => 'To check an order, send me its order number (for example #12345) and I will look up its status.',
  },
  {
    words: ['delivery', 'deliveries', 'deliver', 'shipping', 'ship', 'shipped', 'tracking', 'track'],
    answer: () =>
      'Standard delivery takes 3–5 business days and express 1–2. You get a tracking link by email once your parcel ships.',
  },
  {
    words: ['product', 'products', 'catalog', 'catalogue', 'search', 'price', 'prices', 'buy'],
    answer: () =>
      'Our catalogue has electronics, home goods and accessories. Tell me what you are looking for and I will suggest a few products.',
  },
  {
    words: ['thanks', 'thank', 'thx', 'ty', 'cheers'],
    answer: () => "You're welcome! Anything else I can do for you?",
  },
  {
    words: ['bye', 'goodbye', 'later', 'cya'],
    answer: () => 'Goodbye! Have a great day. 👋',
  },
];

/** Lower-case words of a text (letters and digits, Unicode-aware). */
export function wordsOf(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}']+/gu)
      ?.map((w) => w.replace(/'/g, '')) ?? [],
  );
}

/** The default rule-based bot. */
export class RuleBot implements Bot {
  reply({ message, user }: BotInput): string {
    const text = message.text.trim();
    if (!text && message.attachment) return `Thanks, I received “${message.attachment.file_name}”.`;
    const words = wordsOf(text);
    const rule = RULES.find((r) => r.words.some((w) => words.has(w)));
    if (rule) return rule.answer(text, { message, user });
    const quoted = text.length > 200 ? `${[...text].slice(0, 200).join('')}…` : text;
    return `You said: “${quoted}”. I'm a simple demo bot: ask me about orders, delivery or products, or type "help".`;
  }
}
