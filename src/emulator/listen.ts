// One TCP port, two HTTP versions: the official JS runtime client speaks cleartext HTTP/2 with prior knowledge
// on http:// endpoints, every other client HTTP/1.1. The first bytes of a connection tell which one it is.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import net from 'node:net';
import { DEFAULT_CONFIG } from './config.js';
import { httpServerOptions, type ConnectionLimits } from './network.js';
// The import, not the global: a test runner's fake timers replace the global setImmediate (vitest's also the
// `timers` module's export, which this binding no longer sees), and an answer must not wait for a fake clock.
import { setImmediate as inCheckPhase } from 'node:timers';
import { nodeRequest, writeAnswer, type Answer, type NodeRequest, type WireRequest } from './wire.js';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

// HTTP/2's connection preface (RFC 9113 §3.4); anything else is HTTP/1.1.
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Serves `serve` (the app's one way in, app.ts) on a port: each request, whichever HTTP version, becomes a
 * WireRequest and its answer is written to Node's response. `limits`: timeouts and the connection cap (the
 * defaults of DEFAULT_CONFIG without it).
 */
export function listen(serve: (req: WireRequest) => Promise<Answer>, host: string, port: number, limits: ConnectionLimits = DEFAULT_CONFIG): Promise<Listening> {
  // The answers ready in one turn of the event loop are written together, in its check phase, instead of each as
  // soon as it is ready: a write that finds the client asleep pays for waking it, and the first write of a burst
  // wakes it for the rest. Under load from 50 connections this cut the CPU time of a Converse request by about a
  // quarter (BENCHMARKS.md).
  let ready: (() => void)[] = [];
  const writeReady = () => {
    const burst = ready;
    ready = [];
    for (const write of burst) write();
  };
  const listener = (incoming: IncomingMessage | Http2ServerRequest, outgoing: ServerResponse | Http2ServerResponse) => {
    const req = nodeRequest(incoming);
    serve(req).then(
      (answer) => {
        if (ready.push(() => send(answer, req, outgoing)) === 1) inCheckPhase(writeReady);
      },
      (err: unknown) => failed(err, outgoing),
    );
  };
  const h1 = http.createServer(httpServerOptions(limits), listener);
  // h1 gets its connections from `tcp` and never listens itself, but Node starts checking the header and request
  // deadlines of its connections on 'listening' (close() stops it).
  h1.emit('listening');
  const h2 = http2.createServer({}, listener);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    idleSessionTimeout(s, limits.keepAliveTimeoutMs);
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    sniff(socket, limits.headersTimeoutMs, (isH2) => (isH2 ? h2 : h1).emit('connection', socket));
  });
  tcp.maxConnections = limits.maxConnections;

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
            h1.close();
            tcp.close(() => done());
          }),
      });
    });
  });
}

function send(answer: Answer, req: NodeRequest, outgoing: ServerResponse | Http2ServerResponse) {
  try {
    writeAnswer(answer, req, outgoing)?.catch((err: unknown) => failed(err, outgoing));
  } catch (err) {
    failed(err, outgoing);
  }
}

// `serve` never throws and checks the headers it answers: a failure here is a bug, or the client gone.
function failed(err: unknown, outgoing: ServerResponse | Http2ServerResponse) {
  console.error('bedrock-batch-emulator: could not write an answer', err);
  outgoing.destroy();
}

/**
 * Reads a new connection's first bytes until they tell HTTP/2's preface from anything else, then hands the socket,
 * bytes put back, to `route`. A client that sends a prefix of the preface and waits is closed after `timeoutMs`
 * (counted from the connection), as is one that sends nothing or ends first.
 */
function sniff(socket: net.Socket, timeoutMs: number, route: (isH2: boolean) => void) {
  let head: Buffer = Buffer.alloc(0);
  const expire = () => socket.destroy();
  if (timeoutMs > 0) socket.setTimeout(timeoutMs, expire);
  const end = () => socket.destroy();
  socket.once('end', end);
  const read = () => {
    for (let chunk: Buffer | null; (chunk = socket.read()) !== null; ) head = head.length ? Buffer.concat([head, chunk]) : chunk;
    const n = Math.min(head.length, H2_PREFACE.length);
    const maybeH2 = H2_PREFACE.subarray(0, n).equals(head.subarray(0, n));
    if (maybeH2 && head.length < H2_PREFACE.length) return void socket.once('readable', read);
    socket.setTimeout(0);
    socket.off('timeout', expire);
    socket.off('end', end);
    socket.unshift(head);
    route(maybeH2);
  };
  socket.once('readable', read);
}

/** Closes an HTTP/2 session once it has been idle (no frame, no open stream) for `ms`. */
function idleSessionTimeout(session: http2.Http2Session, ms: number) {
  if (ms <= 0) return;
  let open = 0;
  session.on('stream', (stream: http2.ServerHttp2Stream) => {
    open++;
    stream.once('close', () => open--);
  });
  session.setTimeout(ms, () => {
    if (open === 0) session.close();
  });
}
