import assert from 'node:assert/strict';
import { createHash, randomBytes, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadConfig } from '../platform/config';
import {
  checkpointMessage,
  checkpointSignatureValid,
  HeadsDigest,
  resolveAuditSigningKey,
  signCheckpoint,
  signingKeyFromSeed,
  type CheckpointFields,
} from './signing';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function checkpoint(overrides: Partial<CheckpointFields> = {}): CheckpointFields {
  return { id: 7, createdAt: new Date('2026-03-12T09:00:00Z'), recordCount: 2, headsDigest: randomBytes(32), previousSignature: null, ...overrides };
}

describe('audit signing key', () => {
  it('comes from the RFC 8032 seed (test vector 1)', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const key = signingKeyFromSeed(seed);
    assert.equal(key.publicKey.toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    assert.equal(
      sign(null, Buffer.alloc(0), key.privateKey).toString('hex'),
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('is read from AUDIT_SIGNING_KEY, or derived from the master key outside production', () => {
    const seed = randomBytes(32);
    const master = randomBytes(32);
    const configured = resolveAuditSigningKey(loadConfig({ NODE_ENV: 'test', AUDIT_SIGNING_KEY: seed.toString('base64') }), master);
    assert.deepEqual(configured.publicKey, signingKeyFromSeed(seed).publicKey);
    const derived = resolveAuditSigningKey(loadConfig({ NODE_ENV: 'development' }), master);
    assert.deepEqual(derived.publicKey, resolveAuditSigningKey(loadConfig({ NODE_ENV: 'test' }), master).publicKey, 'stable');
    assert.notDeepEqual(derived.publicKey, resolveAuditSigningKey(loadConfig({ NODE_ENV: 'test' }), randomBytes(32)).publicKey);
    assert.throws(() => resolveAuditSigningKey({ NODE_ENV: 'production', AUDIT_SIGNING_KEY: undefined }, master), /required in production/);
    assert.throws(() => signingKeyFromSeed(randomBytes(31)), RangeError);
  });
});

describe('heads digest', () => {
  it('hashes record id, seq and hash of each head, in record order', () => {
    const h1 = randomBytes(32);
    const h2 = randomBytes(32);
    const digest = new HeadsDigest();
    digest.add(A, 3, h1);
    digest.add(B.toUpperCase(), 1, h2);
    const seq = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(BigInt(n));
      return b;
    };
    const expected = createHash('sha256')
      .update('opendmp:audit-heads:v1\n')
      .update(Buffer.from(A.replaceAll('-', ''), 'hex'))
      .update(seq(3))
      .update(h1)
      .update(Buffer.from(B.replaceAll('-', ''), 'hex'))
      .update(seq(1))
      .update(h2)
      .digest();
    assert.deepEqual(digest.digest(), expected);
    assert.equal(digest.count, 2);
  });

  it('refuses heads out of order, twice the same record, or a bad hash', () => {
    const digest = new HeadsDigest();
    digest.add(B, 1, randomBytes(32));
    assert.throws(() => digest.add(A, 1, randomBytes(32)), /increasing record_id order/);
    assert.throws(() => digest.add(B, 2, randomBytes(32)), /increasing record_id order/);
    assert.throws(() => new HeadsDigest().add(A, 1, randomBytes(31)), RangeError);
  });

  it('differs when any head differs', () => {
    const hash = randomBytes(32);
    const of = (id: string, seq: number, h: Buffer) => {
      const d = new HeadsDigest();
      d.add(id, seq, h);
      return d.digest().toString('hex');
    };
    const base = of(A, 2, hash);
    assert.notEqual(of(B, 2, hash), base);
    assert.notEqual(of(A, 3, hash), base);
    assert.notEqual(of(A, 2, randomBytes(32)), base);
    assert.notEqual(new HeadsDigest().digest().toString('hex'), base);
  });
});

describe('checkpoint signature', () => {
  const key = signingKeyFromSeed(randomBytes(32));

  it('verifies with the right key and refuses any change', () => {
    const c = checkpoint();
    const signature = signCheckpoint(key, c);
    assert.equal(checkpointSignatureValid(key.publicKey, c, signature), true);
    assert.equal(checkpointSignatureValid(signingKeyFromSeed(randomBytes(32)).publicKey, c, signature), false);
    for (const changed of [
      { id: 8 },
      { createdAt: new Date('2026-03-12T09:00:01Z') },
      { recordCount: 3 },
      { headsDigest: randomBytes(32) },
      { previousSignature: randomBytes(64) },
    ]) {
      assert.equal(checkpointSignatureValid(key.publicKey, { ...c, ...changed }, signature), false, JSON.stringify(Object.keys(changed)));
    }
    assert.equal(checkpointSignatureValid(key.publicKey, c, randomBytes(64)), false);
    assert.equal(checkpointSignatureValid(key.publicKey, c, signature.subarray(1)), false);
    assert.equal(checkpointSignatureValid(randomBytes(5), c, signature), false, 'a malformed key is a refusal, not a crash');
  });

  it('chains each checkpoint to the previous signature', () => {
    const first = checkpoint({ previousSignature: null });
    const a = checkpointMessage({ ...first, previousSignature: randomBytes(64) });
    const b = checkpointMessage({ ...first, previousSignature: randomBytes(64) });
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(checkpointMessage(first), a);
  });
});
