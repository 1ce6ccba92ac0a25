import { performance } from 'node:perf_hooks';
import { startTestApp, type TestApp, type TestAppOptions } from '../test/helpers/context';

/**
 * The service in-process on a fresh database (PGlite, or the server named by
 * DATABASE_URL), listening on loopback so that requests go through real HTTP.
 * The bench clients play the load balancer: loopback is a trusted proxy, so that
 * each client's X-Forwarded-For counts as its own address for the rate limits.
 */
export async function startBenchApp(options: TestAppOptions = {}): Promise<{ t: TestApp; url: string }> {
  const t = await startTestApp({ ...options, env: { LOG_LEVEL: 'silent', TRUSTED_PROXIES: '127.0.0.1', ...options.env } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { t, url: `http://127.0.0.1:${address.port}` };
}

/** Runs `task` `count` times with `concurrency` in flight; returns the wall time and each call's duration. */
export async function runConcurrently(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        durations.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, durations };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const backend = () => (process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite');

/** A client with the CSRF cookie and header, keeping cookies like a browser. */
export class BenchClient {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string, private readonly forwardedFor = '127.0.0.1') {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    if (!this.cookies.has('dmp_csrf')) this.keep(await fetch(`${this.base}/healthz`, { headers: { 'x-forwarded-for': this.forwardedFor } }));
    const h: Record<string, string> = { 'x-forwarded-for': this.forwardedFor, ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET') h['x-csrf-token'] = this.cookies.get('dmp_csrf') ?? '';
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return this.keep(await fetch(this.base + path, { method, headers: h, body: payload }));
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private keep(res: Response): Response {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = (pair ?? '').split('=');
      if (k) this.cookies.set(k.trim(), v ?? '');
    }
    return res;
  }
}
