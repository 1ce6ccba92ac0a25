/**
 * The state of one sign-in between GET /api/pro/login and the provider's return to
 * /api/pro/callback: the PKCE verifier, the state and the nonce. It travels in a short-lived
 * cookie, sealed (AES-256-GCM, a key derived from the master key) so that the browser can
 * neither read nor change it, and any app node can open it: no server-side memory.
 * The cookie also binds the callback to the browser that started the sign-in.
 */
import { open, seal } from '../platform';

export interface SignInFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Milliseconds since the epoch, by the service's clock. */
  expiresAt: number;
}

export const FLOW_COOKIE = 'dmp_pro_signin';
/** Time to choose a card and type a PIN at the provider. */
export const FLOW_TTL_MS = 10 * 60_000;
const PURPOSE = 'opendmp:pro-signin-flow';

export function sealFlow(key: Buffer, flow: SignInFlow): string {
  return seal(key, JSON.stringify(flow), PURPOSE).toString('base64url');
}

/** The flow in the cookie, or null when it is missing, altered, or expired at `now`. */
export function openFlow(key: Buffer, cookie: string | undefined, now: Date): SignInFlow | null {
  if (!cookie || cookie.length > 2048) return null;
  let flow: Partial<SignInFlow>;
  try {
    flow = JSON.parse(open(key, Buffer.from(cookie, 'base64url'), PURPOSE).toString('utf8')) as Partial<SignInFlow>;
  } catch {
    return null;
  }
  const complete =
    typeof flow.state === 'string' &&
    typeof flow.nonce === 'string' &&
    typeof flow.codeVerifier === 'string' &&
    typeof flow.expiresAt === 'number';
  if (!complete || now.getTime() >= flow.expiresAt!) return null;
  return flow as SignInFlow;
}
