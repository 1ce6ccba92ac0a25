import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeedRow } from './feed-line';

const row = (overrides: Record<string, string> = {}) => ({
  ins: '279035121518989',
  claim_id: '2026-0001-4471',
  care_date: '2026-10-03',
  kind: 'pharmacie',
  label: '  LEVOTHYROX   75 µg, comprimé ',
  quantity: '2',
  professional: 'Pharmacie du Centre',
  ...overrides,
});
const TODAY = '2026-11-22';

describe('a line of the care-history feed', () => {
  it('reads a reimbursed product', () => {
    assert.deepEqual(parseFeedRow(row(), TODAY), {
      ok: true,
      value: {
        ins: '279035121518989',
        line: { claimId: '2026-0001-4471', careDate: '2026-10-03', kind: 'pharmacie', label: 'LEVOTHYROX 75 µg, comprimé', quantity: 2, professional: 'Pharmacie du Centre' },
      },
    });
  });

  it('takes a quantity of 1 and no professional when they are left empty', () => {
    const parsed = parseFeedRow(row({ quantity: '', professional: '' }), TODAY);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.line.quantity, 1);
    assert.equal(parsed.value.line.professional, null);
  });

  it('names every wrong column of the line', () => {
    const parsed = parseFeedRow(row({ ins: '279035121518988', care_date: '2026-02-30', kind: 'massage', quantity: '0', claim_id: 'a b' }), TODAY);
    assert.equal(parsed.ok, false);
    const errors = parsed.ok ? [] : parsed.errors;
    for (const column of ['ins', 'care_date', 'kind', 'quantity', 'claim_id']) {
      assert.ok(errors.some((e) => e.startsWith(`Colonne « ${column} »`)), `${column} in ${errors.join(' | ')}`);
    }
  });

  it('refuses care in the future and missing values', () => {
    const future = parseFeedRow(row({ care_date: '2026-11-23' }), TODAY);
    assert.deepEqual(future.ok ? [] : future.errors, ['Colonne « care_date » : la date des soins est dans le futur.']);
    const empty = parseFeedRow(row({ label: '', claim_id: '' }), TODAY);
    assert.deepEqual(empty.ok ? [] : empty.errors, [
      'Colonne « claim_id » : valeur obligatoire manquante.',
      'Colonne « label » : valeur obligatoire manquante.',
    ]);
  });
});
