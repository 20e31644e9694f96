import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  /** `http://127.0.0.1:<port>/graphql`, as the services are addressed. */
  url: string;
  /** The replicas' `/graphql` URLs; set once they listen. */
  backends: string[];
  /** Requests and WebSocket upgrades each backend got, by index. */
  hits: number[];
  stop(): Promise<void>;
}

/**
 * A load balancer in miniature on loopback: each HTTP request (not each connection, since
 * callers keep connections alive) goes to the next backend in turn, and each WebSocket upgrade
 * too, piped both ways as raw TCP. Enough to spread a test's calls over replicas as a
 * Kubernetes Service would, without one.
 */
export async function roundRobin(): Promise<RoundRobin> {
  let next = 0;
  const state = { backends: [] as string[], hits: [] as number[] };
  const pick = () => {
    const i = next++ % state.backends.length;
    state.hits[i] = (state.hits[i] ?? 0) + 1;
    return new URL(state.backends[i]!);
  };
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const target = pick();
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const target = pick();
    tunnels.add(socket);
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      tunnels.delete(socket);
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get backends() {
      return state.backends;
    },
    set backends(urls: string[]) {
      state.backends = urls;
      state.hits = urls.map(() => 0);
    },
    get hits() {
      return state.hits;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
