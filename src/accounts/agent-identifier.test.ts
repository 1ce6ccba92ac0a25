import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_ID, agentIdCandidate } from './agent-identifier';

describe('agent identifiers', () => {
  it('takes the initial and the last name, without accents, spaces or hyphens', () => {
    assert.equal(agentIdCandidate('Sophie', 'Roux', 0), 'ag-sroux');
    assert.equal(agentIdCandidate('Élodie', 'Le Bihan-Pérès', 0), 'ag-elebihanperes');
  });

  it('numbers the next ones with the same name', () => {
    assert.equal(agentIdCandidate('Sophie', 'Roux', 1), 'ag-sroux2');
    assert.equal(agentIdCandidate('Sophie', 'Roux', 9), 'ag-sroux10');
  });

  it('never looks like a patient identifier', () => {
    for (const id of [agentIdCandidate('Sophie', 'Roux', 0), agentIdCandidate('Jean', 'Dupont-Martinez', 3)]) {
      assert.match(id, AGENT_ID);
      assert.doesNotMatch(id, /^[a-z]{3}\d{4}$/);
    }
  });
});
