/**
 * The reference server in its own process, so a test can kill it for real (SIGKILL) and start it
 * again on the same port and data. Usage: node --import tsx server-process.ts <port> <dataDir> <jwtSecret>
 * Prints "listening <url>" once it accepts connections; SIGTERM closes it gracefully.
 */
import { createServer } from '../../../demo/server/app.js';

const [port, dataDir, jwtSecret] = process.argv.slice(2);
if (port === undefined || !dataDir || !jwtSecret) {
  console.error('usage: server-process.ts <port> <dataDir> <jwtSecret>');
  process.exit(2);
}

const server = await createServer({ port: Number(port), dataDir, jwtSecret, botDelayMs: 20, logLevel: 'silent' });
process.stdout.write(`listening ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
