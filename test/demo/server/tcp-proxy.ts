/**
 * A small round-robin TCP balancer, like an nginx `upstream` without sticky sessions: each new
 * connection goes to the next backend, or the one after when that one refuses (it is down).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  url: string;
  close(): Promise<void>;
}

export async function startTcpProxy(backends: number[]): Promise<TcpProxy> {
  let next = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const attempt = (tries: number) => {
      const port = backends[next++ % backends.length]!;
      const upstream = connect(port, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        open.add(upstream);
        upstream.on('close', () => (open.delete(upstream), client.destroy()));
        client.on('close', () => upstream.destroy());
        upstream.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.once('error', () => {
        if (connected) return;
        if (tries + 1 < backends.length) attempt(tries + 1);
        else client.destroy();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
