/**
 * Counters for `GET /metrics` in the Prometheus text format. No labels carry personal data.
 */
export class Metrics {
  openSockets = 0;
  messagesStored = 0;
  messagesFannedOut = 0;
  /** `message:delta` frames handed to sockets (streamed bot replies). */
  deltasFannedOut = 0;
  botReplies = 0;
  uploadBytes = 0;
  readonly httpByStatus = new Map<number, number>();

  countHttp(status: number): void {
    this.httpByStatus.set(status, (this.httpByStatus.get(status) ?? 0) + 1);
  }

  /** The exposition text. */
  render(): string {
    const lines = [
      '# HELP parley_open_sockets Open WebSocket connections on this instance.',
      '# TYPE parley_open_sockets gauge',
      `parley_open_sockets ${this.openSockets}`,
      '# HELP parley_messages_stored_total Messages written to the database by this instance.',
      '# TYPE parley_messages_stored_total counter',
      `parley_messages_stored_total ${this.messagesStored}`,
      '# HELP parley_messages_fanned_out_total message:new frames sent to sockets.',
      '# TYPE parley_messages_fanned_out_total counter',
      `parley_messages_fanned_out_total ${this.messagesFannedOut}`,
      '# HELP parley_deltas_fanned_out_total message:delta frames (streamed bot replies) sent to sockets.',
      '# TYPE parley_deltas_fanned_out_total counter',
      `parley_deltas_fanned_out_total ${this.deltasFannedOut}`,
      '# HELP parley_bot_replies_total Bot replies written.',
      '# TYPE parley_bot_replies_total counter',
      `parley_bot_replies_total ${this.botReplies}`,
      '# HELP parley_upload_bytes_total Bytes of accepted uploads.',
      '# TYPE parley_upload_bytes_total counter',
      `parley_upload_bytes_total ${this.uploadBytes}`,
      '# HELP parley_http_requests_total HTTP requests by status code.',
      '# TYPE parley_http_requests_total counter',
    ];
    for (const [status, n] of [...this.httpByStatus].sort((a, b) => a[0] - b[0])) {
      lines.push(`parley_http_requests_total{status="${status}"} ${n}`);
    }
    return lines.join('\n') + '\n';
  }
}
