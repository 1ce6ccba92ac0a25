/**
 * Password hashing with Argon2id at the parameters OWASP recommends as a
 * minimum (19 MiB, 2 passes, 1 lane). @node-rs/argon2 computes on libuv's
 * thread pool, so a hash never blocks the event loop; the pool (4 threads by
 * default, UV_THREADPOOL_SIZE) bounds how many run at once.
 */
import { randomUUID } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options, type Version } from '@node-rs/argon2';

// The package's enums are `const enum`s, which isolated modules cannot read: their values.
const ARGON2ID = 2 as Algorithm;
const VERSION_0X13 = 1 as Version;

export const PASSWORD_HASH_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

const OPTIONS: Options = { algorithm: ARGON2ID, version: VERSION_0X13, ...PASSWORD_HASH_PARAMETERS };

/**
 * The same password typed on two devices can reach us as two Unicode forms
 * (é as one code point or as e + accent): NIST SP 800-63B asks to normalise.
 */
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/** A PHC string ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") with a fresh 16-byte salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(normalize(password), OPTIONS);
}

/** Constant-time comparison inside argon2; throws only on a malformed stored hash. */
export function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  return verify(storedHash, normalize(password));
}

/** True when a hash was made with other parameters than today's: re-hash it after a successful login. */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== ARGON2ID ||
      used.version !== VERSION_0X13 ||
      used.memoryCost !== PASSWORD_HASH_PARAMETERS.memoryCost ||
      used.timeCost !== PASSWORD_HASH_PARAMETERS.timeCost ||
      used.parallelism !== PASSWORD_HASH_PARAMETERS.parallelism ||
      used.outputLen !== PASSWORD_HASH_PARAMETERS.outputLen
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * For an unknown identifier: spends the time of a real verification and
 * answers false, so that the answer's timing does not tell whether an
 * account exists. The dummy hash is made once, on first use.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verify(await dummyPasswordHash(), normalize(password));
  return false;
}

/** The hash an unknown identifier is verified against: a real Argon2id hash, with today's parameters. */
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hash(randomUUID(), OPTIONS));
}
