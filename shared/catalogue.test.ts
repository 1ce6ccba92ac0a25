import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readCdaHeader } from '../src/documents/cda';
import { categoryLabel, DOCUMENT_CATEGORIES, documentType, listDocumentTypes } from './catalogue';

describe('catalogue of document types', () => {
  it('holds the whole CI-SIS value set, each type with one known category', () => {
    const types = listDocumentTypes();
    assert.equal(types.length, 114);
    assert.equal(new Set(types.map((t) => t.code)).size, types.length, 'codes are unique');
    const ids = new Set<string>(DOCUMENT_CATEGORIES.map((c) => c.id));
    for (const t of types) {
      assert.ok(ids.has(t.category), t.code);
      assert.ok(t.displayName && t.codeSystem, t.code);
    }
    for (const c of DOCUMENT_CATEGORIES) assert.ok(types.some((t) => t.category === c.id), `${c.id} is used`);
  });

  it('knows the type of each official CDA example', () => {
    const dir = new URL('../demo/cda/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    assert.equal(files.length, 7);
    for (const file of files) {
      const { typeCode } = readCdaHeader(readFileSync(new URL(file, dir), 'utf8'));
      assert.ok(documentType(typeCode.code, typeCode.codeSystem), `${file}: ${typeCode.code}`);
    }
  });

  it('files types under the category a patient would look in', () => {
    const categoryOf = (code: string) => documentType(code)?.category;
    assert.equal(categoryOf('11502-2'), 'biologie');
    assert.equal(categoryOf('18748-4'), 'imagerie');
    assert.equal(categoryOf('11490-0'), 'comptes-rendus');
    assert.equal(categoryOf('34112-3'), 'comptes-rendus');
    assert.equal(categoryOf('57833-6'), 'traitements-soins');
    assert.equal(categoryOf('60593-1'), 'traitements-soins');
    assert.equal(categoryOf('11369-6'), 'prevention-vaccination');
    assert.equal(categoryOf('87273-9'), 'prevention-vaccination');
    assert.equal(categoryOf('89601-9'), 'certificats');
    assert.equal(categoryOf('EXPPAT_3'), 'directives-anticipees');
    assert.equal(categoryOf('SYNTH'), 'synthese');
    assert.equal(categoryOf('REMB'), 'remboursements');
    assert.equal(categoryOf('ATTEST-DROITS-AM'), 'donnees-administratives');
    assert.equal(categoryOf('DOCPAT03'), 'espace-personnel');
  });

  it('gives the official display name and the category label', () => {
    assert.deepEqual(documentType('11502-2'), {
      code: '11502-2', codeSystem: '2.16.840.1.113883.6.1', displayName: 'CR d\'examens biologiques', category: 'biologie',
    });
    assert.equal(categoryLabel('prevention-vaccination'), 'Prévention et vaccination');
  });

  it('knows nothing of unknown codes, or of a known code in another system', () => {
    assert.equal(documentType('99999-9'), null);
    assert.equal(documentType(''), null);
    assert.equal(documentType('__proto__'), null);
    assert.equal(documentType('11502-2', '1.2.250.1.213.1.1.4.12'), null);
  });
});
