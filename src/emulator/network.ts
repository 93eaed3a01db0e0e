// What every listening port of the emulator applies before a request reaches a route: which Host names it
// answers (DNS rebinding: a web page's own name resolving to 127.0.0.1 must not reach the emulator), and how long
// and how many connections it keeps (a client that connects and never sends, or sends a header a byte a minute,
// must not hold a file descriptor forever). The Bedrock port (listen.ts) and the S3 port's proxy (s3/server.ts)
// both take their policy from here.
import type http from 'node:http';
import { isIP } from 'node:net';

export interface ConnectionLimits {
  /** Time for a request's headers, counted from its first byte; also the time a new connection has to send one. */
  headersTimeoutMs: number;
  /** Time for a whole request (headers and body). */
  requestTimeoutMs: number;
  /** An HTTP/1.1 connection or HTTP/2 session with no request in flight closes after this long. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many are closed as they arrive. */
  maxConnections: number;
}

export interface HostPolicy {
  /** The address the port binds (`--host`). */
  bindHost: string;
  /** Names the user allows besides loopback ones; a leading `.` allows every subdomain (`.example.test`). */
  allowedHosts: readonly string[];
}

/** Options of http.createServer for these limits (Node checks header and request deadlines on an interval). */
export function httpServerOptions(limits: ConnectionLimits): http.ServerOptions {
  const deadlines = [limits.headersTimeoutMs, limits.requestTimeoutMs].filter((ms) => ms > 0);
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node's default interval is 30 s, so a deadline shorter than that would be noticed late.
    connectionsCheckingInterval: Math.max(1, Math.min(30_000, Math.ceil(Math.min(...deadlines, 60_000) / 4))),
  };
}

/**
 * An HTTP/1.1 server whose connections arrive through its own 'connection' event (the S3 proxy): Node's header
 * deadline only starts at a request's first byte, so a connection that never sends one gets the same time to
 * start, through the socket's inactivity timeout, cleared when its first request arrives.
 */
export function limitConnections(server: http.Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
  if (limits.headersTimeoutMs <= 0) return;
  server.on('connection', (socket) => {
    if (!socket.destroyed) socket.setTimeout(limits.headersTimeoutMs);
  });
  // Runs before the request's handler; Node itself resets the timeout after keep-alive waits.
  server.prependListener('request', (req: http.IncomingMessage) => req.socket.setTimeout(server.timeout));
}

const LOOPBACK_NAME = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.localhost)\.?$/;

/** The `http://host:port` URL form of the address a port listens on: IPv6 in brackets, and the IPv4 wildcard
 * (`0.0.0.0`, reached from this machine) as 127.0.0.1. */
export const hostForUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host);

/** Whether an address or name is loopback: localhost, *.localhost, 127.0.0.0/8, ::1. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return LOOPBACK_NAME.test(h);
}

/** The name of a Host header or :authority (`name[:port]`, `[v6][:port]`), lower case; undefined if malformed. */
function hostName(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(h);
  return m?.[1];
}

/**
 * Why a request with this Host may not be served, or undefined when it may. A port bound to a non-loopback
 * address (`--host 0.0.0.0`) was opened to the network on purpose and serves every name. A request without a
 * Host is no browser's (every browser sends one), so it is served.
 */
export function hostRefusal(header: string | undefined, policy: HostPolicy): string | undefined {
  if (header === undefined) return undefined;
  let verdicts = VERDICTS.get(policy);
  if (!verdicts) VERDICTS.set(policy, (verdicts = new Map()));
  // A client sends the same Host on every request: its verdict is worked out once (a few names at most, but any
  // client may send any, so the memory is bounded).
  if (verdicts.has(header)) return verdicts.get(header);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  const verdict = refusal(header, policy);
  verdicts.set(header, verdict);
  return verdict;
}

const VERDICTS = new WeakMap<HostPolicy, Map<string, string | undefined>>();
const MAX_VERDICTS = 256;

function refusal(header: string, policy: HostPolicy): string | undefined {
  if (!isLoopback(policy.bindHost)) return undefined;
  const name = hostName(header);
  if (name !== undefined) {
    if (isLoopback(name)) return undefined;
    const bare = name.replace(/\.$/, '');
    for (const allowed of policy.allowedHosts) {
      const a = allowed.toLowerCase();
      if (a.startsWith('.') ? bare.endsWith(a) || bare === a.slice(1) : bare === a) return undefined;
    }
  }
  return `The Host header names neither a loopback address nor one of allowedHosts; add the name to allowedHosts to serve it.`;
}
