// One TCP port, two HTTP versions: the official JS runtime client speaks cleartext HTTP/2 with prior knowledge
// on http:// endpoints, every other client HTTP/1.1. The first bytes of a connection tell which one it is.
import { getRequestListener } from '@hono/node-server';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import net from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/** Takes a request from Node (HTTP/1.1 or HTTP/2) and answers it, or returns false to leave it to `fetch`. */
export type NodeListener = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => boolean;

/**
 * `standalone`: the emulator owns the process (npm start, the CLI), so @hono/node-server may swap in its faster
 * global Request. Inside a user's process (harness, msw) the globals are left alone. `node`, when given, sees each
 * request first (the AWS operations, see nodeListener in app.ts); what it leaves goes to `fetch` through Hono's
 * Node adapter.
 */
export function listen(
  fetch: (req: Request) => Response | Promise<Response>,
  host: string,
  port: number,
  standalone = false,
  node?: NodeListener,
): Promise<Listening> {
  const viaFetch = getRequestListener(fetch, { overrideGlobalObjects: standalone });
  const listener = node
    ? (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
        if (!node(req, res)) void viaFetch(req, res);
      }
    : viaFetch;
  const h1 = http.createServer({ keepAliveTimeout: 5_000 }, listener);
  const h2 = http2.createServer({}, listener);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', function route() {
      const head: Buffer | null = socket.read();
      if (!head) return socket.once('readable', route);
      // A short first read that could still become the preface waits for more bytes.
      if (head.length < H2_PREFACE.length && H2_PREFACE.subarray(0, head.length).equals(head)) {
        socket.unshift(head);
        return socket.once('readable', route);
      }
      socket.unshift(head);
      (head.subarray(0, H2_PREFACE.length).equals(H2_PREFACE) ? h2 : h1).emit('connection', socket);
    });
  });

  return new Promise((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve({
        port: (tcp.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sessions) s.close();
            for (const s of sockets) s.destroy();
            h1.closeAllConnections();
            tcp.close(() => done());
          }),
      });
    });
  });
}
