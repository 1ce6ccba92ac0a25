import assert from 'node:assert/strict';

/**
 * A browser without script, over real HTTP: a cookie jar and manual redirects. It drives the
 * development OpenID provider (/dev/oidc) as a professional would, for the service's own sign-in
 * (pro-signin.test.ts) or from practice software (fhir-oauth.test.ts).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  visited: string[] = [];

  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers, cookie: this.cookieHeader() };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(new URL(url, this.base), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    this.visited.push(`${init.method ?? (init.form ? 'POST' : 'GET')} ${new URL(url, this.base).pathname} → ${response.status}`);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const cleared = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (cleared) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects until `stop` says so or a page answers; returns the last address and response. */
  async follow(response: Response, stop: (url: URL) => boolean = () => false): Promise<{ url: URL; response: Response }> {
    let current = response;
    let url = new URL(response.url || this.base);
    while (current.status >= 300 && current.status < 400) {
      url = new URL(current.headers.get('location')!, url);
      if (stop(url)) return { url, response: current };
      current = await this.request(url.href);
    }
    return { url, response: current };
  }
}

/** From an authorization request (or GET /api/pro/login, which makes one) to the provider's chooser page. */
export async function reachChooser(browser: Browser, start = '/api/pro/login'): Promise<{ uid: string; html: string }> {
  const { url, response } = await browser.follow(await browser.request(start));
  assert.equal(response.status, 200, browser.visited.join('\n'));
  const uid = /^\/dev\/oidc\/interaction\/([^/]+)$/.exec(url.pathname)?.[1];
  assert.ok(uid, `the chooser is at ${url.pathname}`);
  return { uid, html: await response.text() };
}
