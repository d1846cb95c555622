/** Grouping of consecutive bubbles: same sender (and type) within the same minute. */
import type { ChatMessage } from '../../src/index.js';

const minute = (iso: string): number => Math.floor(Date.parse(iso) / 60000);

/** True when `message` starts a new group after `previous`. */
export function startsGroup(previous: ChatMessage | undefined, message: ChatMessage): boolean {
  return (
    !previous ||
    previous.type !== message.type ||
    previous.sender !== message.sender ||
    previous.own !== message.own ||
    minute(previous.createdAt) !== minute(message.createdAt)
  );
}
