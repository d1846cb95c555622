/**
 * The bot behind an interface (PROTOCOL §7): a reply is an async iterable of text chunks, so a
 * streaming model (an LLM, `openai-bot.ts`) and the rule-based default stream the same way.
 * `RuleBot` matches whole words, case-insensitively ("this" is not "hi"), and types its answer
 * out word by word (about 40 words a second by default).
 */
import type { Message, User } from '../../../src/types.js';

export interface BotInput {
  /** The user message to answer. */
  message: Message;
  /** Its sender (null for a sender since deleted). */
  user: User | null;
  /**
   * The conversation's recent messages, oldest first, ending with `message`: the context a model
   * answers in. Replies still streaming are left out.
   */
  history: Message[];
  /**
   * Aborted when the reply must stop: someone pressed stop, the provider timed out, or the server
   * is shutting down. A bot passes it to its HTTP requests and stops yielding.
   */
  signal: AbortSignal;
  /**
   * Continuing a reply a restart cut (§8): the text already stored. The bot answers from the
   * start as always; it may write this much without pacing (the reader has it already).
   */
  continuing?: string;
}

/** Writes replies. `reply` yields the reply's text in chunks, in order; an error fails the reply. */
export interface Bot {
  reply(input: BotInput): AsyncIterable<string>;
}

/** Joins a reply's chunks into its text. */
export async function collectReply(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface Rule {
  words: string[];
  answer: (text: string, user: User | null) => string;
}

const RULES: Rule[] = [
  {
    words: ['hello', 'hi', 'hey', 'hiya', 'greetings'],
    answer: (_t, user) =>
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
  /** `wordsPerSecond`: how fast the answer is typed out (default 40; 0 or Infinity: all at once). */
  constructor(private readonly wordsPerSecond = 40) {}

  /** The answer, word by word: each chunk is a word with the spaces before it. */
  async *reply(input: BotInput): AsyncIterable<string> {
    const words = this.answer(input).match(/\s*\S+/gu) ?? [];
    const gap = this.wordsPerSecond > 0 && Number.isFinite(this.wordsPerSecond) ? 1000 / this.wordsPerSecond : 0;
    let written = 0;
    for (const [i, word] of words.entries()) {
      // What a reader already has (a continued reply) comes at once; the rest is typed out.
      const known = written + word.length <= (input.continuing?.length ?? 0);
      if (i > 0 && gap > 0 && !known) await sleep(gap, input.signal);
      input.signal.throwIfAborted();
      written += word.length;
      yield word;
    }
  }

  /** The whole answer to a message (the rules; no waiting). */
  answer({ message, user }: Pick<BotInput, 'message' | 'user'>): string {
    const text = message.text.trim();
    if (!text && message.attachment) return `Thanks, I received “${message.attachment.file_name}”.`;
    const words = wordsOf(text);
    const rule = RULES.find((r) => r.words.some((w) => words.has(w)));
    if (rule) return rule.answer(text, user);
    const quoted = text.length > 200 ? `${[...text].slice(0, 200).join('')}…` : text;
    return `You said: “${quoted}”. I'm a simple demo bot: ask me about orders, delivery or products, or type "help".`;
  }
}
