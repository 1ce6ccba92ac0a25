import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CareLine } from './feed-line';
import { mergeCareHistory, oldestKeptDay } from './history';

const line = (claimId: string, careDate: string, label = 'Consultation'): CareLine => ({
  claimId,
  careDate,
  kind: 'consultation',
  label,
  quantity: 1,
  professional: 'Dr Claire MARTIN',
});

describe('care history of the last 24 months', () => {
  it('keeps from the same day 24 months before, or the last day of a shorter month', () => {
    assert.equal(oldestKeptDay('2026-11-22'), '2024-11-22');
    assert.equal(oldestKeptDay('2026-01-05'), '2024-01-05');
    assert.equal(oldestKeptDay('2026-03-31'), '2024-03-31');
    assert.equal(oldestKeptDay('2026-02-28'), '2024-02-28');
    assert.equal(oldestKeptDay('2028-02-29'), '2026-02-28');
  });

  it('adds new lines, newest first', () => {
    const merged = mergeCareHistory([line('a', '2026-01-10')], [line('b', '2026-06-01'), line('c', '2025-12-24')], '2026-11-22');
    assert.equal(merged.changed, true);
    assert.deepEqual(merged.lines.map((l) => l.claimId), ['b', 'a', 'c']);
  });

  it('replaces a line sent again under the same claim, and sees that nothing changed when it is identical', () => {
    const stored = [line('a', '2026-01-10')];
    assert.equal(mergeCareHistory(stored, [line('a', '2026-01-10')], '2026-11-22').changed, false);
    const corrected = mergeCareHistory(stored, [line('a', '2026-01-10', 'Consultation de suivi')], '2026-11-22');
    assert.equal(corrected.changed, true);
    assert.deepEqual(corrected.lines.map((l) => l.label), ['Consultation de suivi']);
  });

  it('drops what is older than 24 months, stored or sent, at the boundary day', () => {
    const merged = mergeCareHistory([line('old', '2024-11-21'), line('edge', '2024-11-22')], [line('late', '2023-05-01')], '2026-11-22');
    assert.equal(merged.changed, true);
    assert.deepEqual(merged.lines.map((l) => l.claimId), ['edge']);
  });

  it('orders lines of the same day by claim, so that the document is the same for the same lines', () => {
    const a = mergeCareHistory([], [line('z', '2026-05-05'), line('m', '2026-05-05')], '2026-11-22');
    const b = mergeCareHistory([], [line('m', '2026-05-05'), line('z', '2026-05-05')], '2026-11-22');
    assert.deepEqual(a.lines, b.lines);
  });
});
