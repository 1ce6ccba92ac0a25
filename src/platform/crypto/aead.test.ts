import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DecryptionError, open, openText, seal, sealText } from './aead';
import { deriveKey } from './keys';

describe('sealing (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and the sealed form holds no plaintext', () => {
    const sealed = sealText(key, 'Allergie à la pénicilline', 'record-1');
    assert.ok(!sealed.toString('latin1').includes('pénicilline'));
    assert.ok(!sealed.includes(Buffer.from('Allergie')));
    assert.equal(openText(key, sealed, 'record-1'), 'Allergie à la pénicilline');
  });

  it('uses a fresh nonce each time', () => {
    assert.notDeepEqual(seal(key, 'same'), seal(key, 'same'));
  });

  it('refuses a tampered value, a wrong key and a value moved elsewhere', () => {
    const sealed = seal(key, 'texte', 'record-1');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => open(key, tampered, 'record-1'), DecryptionError);
    assert.throws(() => open(randomBytes(32), sealed, 'record-1'), DecryptionError);
    assert.throws(() => open(key, sealed, 'record-2'), DecryptionError);
    assert.throws(() => open(key, Buffer.from('short')), DecryptionError);
  });

  it('derives distinct keys per purpose', () => {
    const master = randomBytes(32);
    assert.notDeepEqual(deriveKey(master, 'otp'), deriveKey(master, 'outbox'));
    assert.deepEqual(deriveKey(master, 'otp'), deriveKey(master, 'otp'));
    assert.equal(deriveKey(master, 'otp').length, 32);
  });
});
