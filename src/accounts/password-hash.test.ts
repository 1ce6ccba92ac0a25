import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions } from '@node-rs/argon2';
import { dummyPasswordHash, hashPassword, needsRehash, PASSWORD_HASH_PARAMETERS, verifyAgainstDummy, verifyPassword } from './password-hash';

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
    // What makes the two cost the same: the dummy is a real Argon2id hash with today's parameters,
    // verified like any other. The timings are printed, not asserted (a loaded machine makes them
    // vary by 5×); bench:login measures the hash.
    const dummy = await dummyPasswordHash();
    assert.match(dummy, /^\$argon2id\$/);
    assert.equal(needsRehash(dummy), false, 'the dummy hash has the parameters of a real one');
    const hash = await hashPassword('cheval tulipe orange nuage');
    assert.equal(dummy.split('$').slice(0, 4).join('$'), hash.split('$').slice(0, 4).join('$'), 'same algorithm, version and cost');
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    const real: number[] = [];
    const spent: number[] = [];
    for (let i = 0; i < 5; i++) {
      real.push(await time(() => verifyPassword(hash, 'mauvais mot de passe')));
      spent.push(await time(() => verifyAgainstDummy('mauvais mot de passe')));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
    t.diagnostic(`verify: ${median(real).toFixed(1)} ms, dummy: ${median(spent).toFixed(1)} ms (medians of 5)`);
    assert.equal(await verifyAgainstDummy('anything'), false);
  });
});
