import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readTableFacts, shardingViolations } from '../src/platform/db/sharding-rules';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * ARCHITECTURE.md: every table holding a patient's data carries the record id
 * in its primary key, so the schema stays ready for a database sharded by record.
 */
describe('schema rules (sharding by record)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => t.drop());

  it('holds for every table of the shipped migrations', async () => {
    const facts = await t.database.withSession(readTableFacts);
    assert.ok(facts.length >= 3, 'the migrated schema has tables');
    assert.deepEqual(shardingViolations(facts), []);
  });

  it('catches each kind of breach', async () => {
    await t.database.withSession(async (s) => {
      await s.exec(`
        CREATE TABLE bad_unscoped (id int PRIMARY KEY);
        CREATE TABLE good_record (record_id uuid, doc_id uuid, PRIMARY KEY (record_id, doc_id));
        COMMENT ON TABLE good_record IS 'scope:record';
        CREATE TABLE bad_record (doc_id uuid PRIMARY KEY, record_id uuid);
        COMMENT ON TABLE bad_record IS 'scope:record';
        CREATE TABLE bad_unique (record_id uuid, doc_id uuid, sha text UNIQUE, PRIMARY KEY (record_id, doc_id));
        COMMENT ON TABLE bad_unique IS 'scope:record';
        CREATE TABLE bad_link (record_id uuid, other_record uuid, doc_id uuid, nir_index bytea REFERENCES insured_person (nir_index),
          PRIMARY KEY (record_id, doc_id), FOREIGN KEY (other_record, doc_id) REFERENCES good_record (record_id, doc_id));
        COMMENT ON TABLE bad_link IS 'scope:record';
        CREATE TABLE good_link (record_id uuid, doc_id uuid, rpps char(11) REFERENCES health_professional (rpps),
          PRIMARY KEY (record_id, doc_id), FOREIGN KEY (record_id, doc_id) REFERENCES good_record (record_id, doc_id));
        COMMENT ON TABLE good_link IS 'scope:record';
      `);
    });
    const violations = shardingViolations(await t.database.withSession(readTableFacts));
    const about = (table: string) => violations.filter((v) => v.startsWith(table + ':') || v.startsWith(table + ' '));
    assert.equal(about('bad_unscoped').length, 1);
    assert.match(about('bad_record')[0] ?? '', /without record_id in its primary key/);
    assert.match(about('bad_unique')[0] ?? '', /unique key \(sha\)/);
    assert.equal(about('bad_link').length, 2, violations.join('\n'));
    assert.deepEqual(about('good_record'), []);
    assert.deepEqual(about('good_link'), []);
  });
});
