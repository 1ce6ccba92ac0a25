import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, sessionStatus } from './sessions';

describe('sessionStatus', () => {
  const start = new Date('2026-03-12T09:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);
  const open = { revokedAt: null, lastSeenAt: start, expiresAt: at(SESSION_ABSOLUTE_MS) };

  it('lasts 12 hours at most and 30 minutes without activity', () => {
    assert.equal(SESSION_ABSOLUTE_MS, 12 * 3600 * 1000);
    assert.equal(SESSION_IDLE_MS, 30 * 60 * 1000);
  });

  it('is active until 30 minutes without activity', () => {
    assert.equal(sessionStatus(open, start), 'active');
    assert.equal(sessionStatus(open, at(SESSION_IDLE_MS - 1)), 'active');
    assert.equal(sessionStatus(open, at(SESSION_IDLE_MS)), 'idle');
  });

  it('ends 12 hours after it began, however active', () => {
    const busy = { ...open, lastSeenAt: at(SESSION_ABSOLUTE_MS - 60_000) };
    assert.equal(sessionStatus(busy, at(SESSION_ABSOLUTE_MS - 1)), 'active');
    assert.equal(sessionStatus(busy, at(SESSION_ABSOLUTE_MS)), 'expired');
  });

  it('ends when revoked, before anything else', () => {
    assert.equal(sessionStatus({ ...open, revokedAt: start }, start), 'revoked');
    assert.equal(sessionStatus({ ...open, revokedAt: start }, at(SESSION_ABSOLUTE_MS)), 'revoked');
  });
});
