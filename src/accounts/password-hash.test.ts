import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions } from '@node-rs/argon2';
import { hashPassword, needsRehash, PASSWORD_HASH_PARAMETERS, verifyAgainstDummy, verifyPassword } from './password-hash';

describe('password hashing (Argon2id)', () => {
  it('hashes with Argon2id, 19 MiB, 2 passes, 1 lane, a 16-byte salt, and times one hash', async (t) => {
    const start = performance.now();
    const hash = await hashPassword('cheval tulipe orange nuage');
    t.diagnostic(`one Argon2id hash (m=19456 KiB, t=2, p=1): ${(performance.now() - start).toFixed(1)} ms`);
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const used = parseOptions(hash);
    assert.equal(used.memoryCost, PASSWORD_HASH_PARAMETERS.memoryCost);
    assert.equal(used.timeCost, 2);
    assert.equal(used.parallelism, 1);
    assert.equal(used.outputLen, 32);
    assert.equal(used.saltLen, 16);
    assert.equal(needsRehash(hash), false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('même mot de passe'), hashPassword('même mot de passe')]);
    assert.notEqual(a, b);
  });

  it('verifies the right password and refuses any other', async () => {
    const hash = await hashPassword('cheval tulipe orange nuage');
    assert.equal(await verifyPassword(hash, 'cheval tulipe orange nuage'), true);
    assert.equal(await verifyPassword(hash, 'cheval tulipe orange nuag'), false);
    assert.equal(await verifyPassword(hash, 'Cheval tulipe orange nuage'), false);
    assert.equal(await verifyPassword(hash, ''), false);
  });

  it('compares passwords after Unicode normalisation (é typed as one or two code points)', async () => {
    const hash = await hashPassword('Crème brûlée à l’érable'.normalize('NFC'));
    assert.equal(await verifyPassword(hash, 'Crème brûlée à l’érable'.normalize('NFD')), true);
  });

  it('rejects a malformed stored hash loudly', async () => {
    await assert.rejects(verifyPassword('not-a-hash', 'x'));
  });

  it('asks for a re-hash when the parameters are not today’s', () => {
    assert.equal(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'), true);
    assert.equal(needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'), true);
    assert.equal(needsRehash('$2b$12$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012'), true);
    assert.equal(needsRehash(''), true);
  });

  it('spends a real verification on unknown identifiers, and says no', async (t) => {
    await verifyAgainstDummy('warm-up'); // makes the dummy hash once
    const hash = await hashPassword('cheval tulipe orange nuage');
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 5; i++) {
      real.push(await time(() => verifyPassword(hash, 'mauvais mot de passe')));
      dummy.push(await time(() => verifyAgainstDummy('mauvais mot de passe')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    t.diagnostic(`verify: ${median(real).toFixed(1)} ms, dummy: ${median(dummy).toFixed(1)} ms (medians of 5)`);
    assert.equal(await verifyAgainstDummy('anything'), false);
    assert.ok(median(dummy) > median(real) * 0.5 && median(dummy) < median(real) * 2);
  });
});
