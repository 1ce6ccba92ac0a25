import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Client as FhirClient } from 'fhir-kit-client';
import { assertFhirAnswer } from './fhir-schema';

/**
 * A browser-like client for in-process requests: keeps cookies between calls
 * (session, CSRF token) and sends the CSRF header on state-changing requests,
 * as the web app does. `csrf: false` leaves the header out, to test refusals.
 * Its FHIR answers are checked against the R4 schema and PDSm (app.inject is, in startTestApp).
 */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance, private readonly ip = '127.0.0.1') {}

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    if (!this.cookies.has('dmp_csrf')) await this.fetchCsrfToken();
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && options.csrf !== false) headers['x-csrf-token'] = this.cookies.get('dmp_csrf') ?? '';
    const res = await this.app.inject({ method, url, headers, remoteAddress: this.ip, ...(payload === undefined ? {} : { payload: payload as object }) });
    this.keepCookies(res);
    return res;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, payload?: unknown, options?: { csrf?: boolean }) => this.request('POST', url, payload ?? {}, options);
  put = (url: string, payload?: unknown) => this.request('PUT', url, payload ?? {});

  private async fetchCsrfToken() {
    this.keepCookies(await this.app.inject({ method: 'GET', url: '/healthz', remoteAddress: this.ip }));
  }

  private keepCookies(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const cleared = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
}

/**
 * A published FHIR client (fhir-kit-client) whose every answer, success or error, is checked like
 * the in-process ones (fhir-schema.ts) before the test sees it. It asks for application/fhir+json
 * (fhir-kit-client's Accept), so an answer with a body in another format fails here, and, with
 * `pdsm: 'all'`, every DocumentReference it receives is held to the PDSm profile, whether it
 * claims it or not.
 */
export function checkedFhirClient(config: { baseUrl: string; bearerToken?: string }, { pdsm = 'claimed' }: { pdsm?: 'claimed' | 'all' } = {}): FhirClient {
  const client = new FhirClient(config);
  const http = client.httpClient;
  const request = http.request.bind(http);
  const check = (contentType: string | null | undefined, body: unknown, where: string) => {
    const empty = body === undefined || body === '' || (typeof body === 'object' && body !== null && !Object.keys(body).length);
    if (!empty) assert.match(contentType ?? '', /^application\/fhir\+json\b/i, `${where} answered a FHIR client with ${contentType ?? 'no content type'}`);
    assertFhirAnswer(contentType ?? undefined, body, where, { pdsm });
  };
  http.request = async (...args: Parameters<typeof request>) => {
    const [method, url] = args;
    try {
      const result = await request(...args);
      const { response } = FhirClient.httpFor(result);
      check(response?.headers.get('content-type'), result, `${method} ${url} → ${response?.status}`);
      return result;
    } catch (error) {
      const failed = error as { response?: { status: number; data: unknown }; config?: { headers?: Headers } };
      if (failed.response && failed.config?.headers instanceof Headers) {
        check(failed.config.headers.get('content-type'), failed.response.data, `${method} ${url} → ${failed.response.status}`);
      }
      throw error;
    }
  };
  return client;
}
