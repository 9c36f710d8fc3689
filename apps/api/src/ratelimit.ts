/**
 * Per-client rate limiting, in memory, per API process: token buckets keyed by the client's address. Used by the
 * public survey routes and by sign-in. With several API replicas each has its own buckets (the effective limit is
 * N times the configured one): put the buckets in a shared store or rate-limit at the ingress before scaling out.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ProblemError } from './problem.js';

/** A positive number from an environment value, else the fallback. */
export function positive(v: string | undefined, fallback: number): number {
  const n = v === undefined || v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** TRUSTED_PROXY: 'true' (one proxy) or the number of proxies of ours in front of the API; default none (0). */
export function trustedProxiesFrom(env: Record<string, string | undefined>): number {
  const tp = (env.TRUSTED_PROXY ?? '').trim().toLowerCase();
  return tp === 'true' || tp === 'yes' ? 1 : /^\d+$/.test(tp) ? Number(tp) : 0;
}

// ------------------------------------------------------------------------------------------------ token bucket

/**
 * In-memory token buckets keyed by client. A bucket holds up to `capacity` tokens and gains `perMinute` tokens a
 * minute; a request takes one. Memory is bounded: past `maxKeys` clients, full buckets (equivalent to unknown
 * clients) are dropped first, then the least recently seen. Single-process only (see the file header).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    readonly capacity: number,
    perMinute: number,
    private readonly maxKeys = 100_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes `cost` tokens; returns 0 when allowed, else the seconds to wait. */
  take(key: string, nowMs: number, cost = 1): number {
    const b = this.level(key, nowMs);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      this.put(key, b);
      return 0;
    }
    this.put(key, b);
    return Math.max(1, Math.ceil((cost - b.tokens) / this.perMs / 1000));
  }

  /** Empties the client's bucket (e.g. after a tripped honeypot). */
  drain(key: string, nowMs: number): void {
    this.put(key, { tokens: 0, at: nowMs });
  }

  get size(): number {
    return this.buckets.size;
  }

  private level(key: string, nowMs: number) {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.capacity, at: nowMs };
    const elapsed = Math.max(0, nowMs - b.at);
    return { tokens: Math.min(this.capacity, b.tokens + elapsed * this.perMs), at: nowMs };
  }

  private put(key: string, b: { tokens: number; at: number }) {
    this.buckets.delete(key); // re-insert: Map order is then least recently seen first
    this.buckets.set(key, b);
    if (this.buckets.size <= this.maxKeys) return;
    for (const [k, v] of this.buckets) {
      if (this.buckets.size <= this.maxKeys) return;
      if (k !== key && v.tokens + (b.at - v.at) * this.perMs >= this.capacity) this.buckets.delete(k);
    }
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) return;
      if (k !== key) this.buckets.delete(k);
    }
  }
}

// ------------------------------------------------------------------------------------------------ client identity

/** Clients without a socket address (no Node server in front) share this key. */
export const UNKNOWN_CLIENT = 'unknown-client';

/**
 * The client's address: with `trustedProxies` = n > 0 the n-th entry from the right of X-Forwarded-For (the one our
 * outermost proxy saw; entries further left are whatever the client claimed), else the socket address.
 */
export function clientAddress(c: Context, trustedProxies: number): string {
  if (trustedProxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const entry = hops[hops.length - trustedProxies];
    if (entry) return entry.toLowerCase();
  }
  try {
    const address = getConnInfo(c).remote.address;
    if (address) return address.toLowerCase();
  } catch {
    // no Node incoming message (tests through app.request, other runtimes)
  }
  return UNKNOWN_CLIENT;
}

/** Takes a token from the client's bucket before anything else runs: 429 RATE_LIMITED with Retry-After when empty. */
export const limitPerClient =
  (buckets: TokenBuckets, trustedProxies: number, now: () => Date): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const wait = buckets.take(clientAddress(c, trustedProxies), now().getTime());
    if (wait > 0) throw new ProblemError('RATE_LIMITED', { headers: { 'retry-after': String(wait) } });
    await next();
  };
