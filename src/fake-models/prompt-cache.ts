// Prompt caching's state: which prompt prefixes a model has cached, until when. One store per emulator, entries
// scoped per account and region, timed by the emulator's clock (a test advances it past a TTL; wall time never
// expires an entry).

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
export type Ttl = keyof typeof TTL_MS;

/** The cache as one account and region see it. */
export interface ScopedPromptCache {
  /** Whether `prefix` is cached and live; a hit restarts its TTL, as Bedrock's does. */
  hit(prefix: string): boolean;
  /** Caches `prefix` for `ttl`. */
  write(prefix: string, ttl: Ttl): void;
}

export class PromptCache {
  /** scope + prefix key → expiry (emulator ms) and the TTL it was written with. */
  private readonly entries = new Map<string, { expires: number; ttl: Ttl }>();
  /** Each account and region's view, made once (every Converse call asks for its caller's). */
  private readonly views = new Map<string, ScopedPromptCache>();

  constructor(private readonly now: () => number) {}

  scoped(account: string, region: string): ScopedPromptCache {
    const scope = `${account}/${region}`;
    let view = this.views.get(scope);
    if (!view) this.views.set(scope, (view = this.view(scope)));
    return view;
  }

  private view(scope: string): ScopedPromptCache {
    const key = (prefix: string) => `${scope}\u0000${prefix}`;
    return {
      hit: (prefix) => {
        const entry = this.entries.get(key(prefix));
        if (!entry) return false;
        if (entry.expires <= this.now()) {
          this.entries.delete(key(prefix));
          return false;
        }
        entry.expires = this.now() + TTL_MS[entry.ttl];
        return true;
      },
      write: (prefix, ttl) => void this.entries.set(key(prefix), { expires: this.now() + TTL_MS[ttl], ttl }),
    };
  }
}
