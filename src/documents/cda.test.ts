import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CdaError, extractNonXmlBody, hl7TimeToIso, readCdaHeader, renderCdaHtml } from './cda';
import { detectFormat } from './formats';

const fixture = (file: string) => readFileSync(new URL(`../../demo/cda/${file}`, import.meta.url), 'utf8');
const TEST_NIR = { root: '1.2.250.1.213.1.4.10', extension: '279035121518989' };
const LOINC = '2.16.840.1.113883.6.1';
const DMP_CODES = '1.2.250.1.213.1.1.4.12';

/** What each official example says in its header (read from the files). */
const EXAMPLES = [
  { file: 'BIO-CR-BIO_2024.01_TSH_1.xml', code: '11502-2', system: LOINC, at: '2021-04-01T16:10:00.000Z', rpps: '01234534765', author: 'Marcel CAMPARINI', version: 1,
    sections: ['BIOCHIMIE'], narrative: ['BILAN THYROIDIEN'] },
  { file: 'IMG_CR_IMG_2024.01.xml', code: '18748-4', system: LOINC, at: '2021-01-08T10:17:00.000Z', rpps: '01234560801', author: 'Jacques BIDEAULT', version: 2,
    sections: ['Technique d’imagerie', 'Résultats', 'Conclusion'], narrative: ['Pas d&#39;embolie pulmonaire proximale.', 'images examen 1'] },
  { file: 'LDL-SES_2022.01.xml', code: '11490-0', system: LOINC, at: '2019-12-03T12:30:00.000Z', rpps: '01234567897', author: 'Charles DAVID', version: 1,
    sections: ['Motif de l&#39;hospitalisation', 'Synthèse médicale du séjour'], narrative: ['Statut du document'] },
  { file: 'VSM_1.4_2022.01.xml', code: 'SYNTH', system: DMP_CODES, at: '2020-03-12T10:17:00.000Z', rpps: '01234567897', author: 'Stéphane MEDIONI', version: 1,
    sections: ['Pathologie en cours'], narrative: [] },
  { file: 'VAC_2023.01.xml', code: '11369-6', system: LOINC, at: '2021-04-09T16:00:00.000Z', rpps: '01234567897', author: 'Charles MULLER', version: 1,
    sections: ['Historique des vaccinations'], narrative: ['<span class="cda-bold cda-italics">Vaccination'] },
  { file: 'CNAM-HR_2021.01.xml', code: 'REMB', system: DMP_CODES, at: '2019-07-01T15:49:00.000Z', rpps: undefined, author: 'Assurance Maladie', version: 1,
    sections: ['Usage et Responsabilités', 'Médicaments'], narrative: ['Les données affichées sont le reflet'] },
  { file: 'DOC_NON_STRUCTURE_CDA-R2-N1.xml', code: '11502-2', system: LOINC, at: '2021-04-01T12:47:45.000Z', rpps: '01234534765', author: 'Marcel CAMPARINI', version: 1,
    sections: [], narrative: ['fichier joint (application/pdf)'] },
];

/** Every `<…>` of the output is one of our tags (texts never hold a raw `<`): check each one. */
const ALLOWED_TAG =
  /^<\/?(article|header|h[1-6]|dl|dt|dd|section|div|p|span|br|sub|sup|table|caption|thead|tbody|tfoot|tr|th|td|ul|ol|li|small|del|ins)( class="cda-[a-z -]+"| (colspan|rowspan)="\d{1,3}")*>$/;
function assertInert(html: string) {
  for (const tag of html.match(/<[^>]*>/g) ?? []) assert.match(tag, ALLOWED_TAG);
  assert.doesNotMatch(html, /<script|<[^>]*\s(on\w+|href|src|style)\s*=/i);
  assert.equal(html.split('<').length, (html.match(/<[^>]*>/g) ?? []).length + 1, 'no stray <');
}

describe('reading the header of the official CDA examples', () => {
  for (const ex of EXAMPLES) {
    it(ex.file, () => {
      const h = readCdaHeader(fixture(ex.file));
      assert.equal(h.typeCode.code, ex.code);
      assert.equal(h.typeCode.codeSystem, ex.system);
      assert.ok(h.typeCode.displayName.length > 3);
      assert.equal(h.effectiveTime, ex.at);
      assert.deepEqual(h.confidentiality, { code: 'N', codeSystem: '2.16.840.1.113883.5.25' });
      assert.deepEqual(h.patient, {
        ins: TEST_NIR, birthName: 'PAT-TROIS', firstNames: 'DOMINIQUE MARIE-LOUISE', sex: 'F', birthDate: '1979-03-28',
      });
      assert.equal(h.authors.length, 1);
      assert.equal(h.authors[0]!.rpps, ex.rpps);
      assert.equal(h.authors[0]!.name, ex.author);
      assert.equal(h.versionNumber, ex.version);
      assert.ok(h.setId && h.documentId?.startsWith(h.setId));
    });
  }

  it('gives the specialty and ignores identifiers that are not an RPPS', () => {
    const bio = readCdaHeader(fixture('BIO-CR-BIO_2024.01_TSH_1.xml'));
    assert.deepEqual(bio.authors[0]!.specialty, { code: 'G15_10/SM03', displayName: 'Médecin - Biologie médicale (SM)' });
    const cnam = readCdaHeader(fixture('CNAM-HR_2021.01.xml'));
    assert.equal(cnam.authors[0]!.specialty?.code, 'ALIM_AM');
    assert.equal('rpps' in cnam.authors[0]!, false);
  });

  it('reads the titles as written', () => {
    assert.equal(readCdaHeader(fixture('IMG_CR_IMG_2024.01.xml')).title, 'CR d’imagerie médicale - Scanner Tête + Cou + Thorax avec injection');
    assert.equal(readCdaHeader(fixture('VSM_1.4_2022.01.xml')).title, 'Synthèse Médicale');
  });
});

describe('a CDA level 1 carrying a PDF', () => {
  const xml = fixture('DOC_NON_STRUCTURE_CDA-R2-N1.xml');

  it('describes and extracts the PDF', () => {
    const { nonXmlBody } = readCdaHeader(xml);
    const body = extractNonXmlBody(xml);
    assert.ok(nonXmlBody && body);
    assert.equal(nonXmlBody.mediaType, 'application/pdf');
    assert.equal(body.mediaType, 'application/pdf');
    assert.equal(body.bytes.length, nonXmlBody.byteLength);
    assert.equal(nonXmlBody.base64Length, Math.ceil(body.bytes.length / 3) * 4);
    assert.equal(body.bytes.subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(detectFormat(body.bytes), { format: 'pdf', mediaType: 'application/pdf' });
  });

  it('finds no attachment in structured documents', () => {
    assert.equal(extractNonXmlBody(fixture('VAC_2023.01.xml')), null);
    assert.equal(readCdaHeader(fixture('VAC_2023.01.xml')).nonXmlBody, undefined);
  });

  it('refuses an attachment that is not valid base64', () => {
    const broken = xml.replace('representation="B64">', 'representation="B64">!!');
    assert.throws(() => extractNonXmlBody(broken), CdaError);
  });
});

describe('rendering a CDA as HTML', () => {
  for (const ex of EXAMPLES) {
    it(`${ex.file}: header, section titles and narrative, and nothing active`, () => {
      const html = renderCdaHtml(fixture(ex.file));
      assertInert(html);
      // The examples do not even quote such things in their text.
      assert.doesNotMatch(html, /on\w+=|href=|src=|javascript:/i);
      assert.match(html, /^<article class="cda-document"><header class="cda-header"><h1>/);
      assert.ok(html.includes('DOMINIQUE MARIE-LOUISE PAT-TROIS, née le 28 mars 1979, INS 279035121518989'));
      assert.ok(html.includes(ex.author));
      for (const title of ex.sections) assert.match(html, new RegExp(`<h[2-6]>${title}`), title);
      for (const text of ex.narrative) assert.ok(html.includes(text), text);
    });
  }

  it('keeps the table spans, the links’ text, and notes the images it leaves out', () => {
    const img = renderCdaHtml(fixture('IMG_CR_IMG_2024.01.xml'));
    assert.ok(img.includes('<span class="cda-link">images examen 2</span>'));
    assert.ok(!img.includes('wado'));
    assert.ok(img.includes('[image ou contenu multimédia non affiché]'));
    assert.match(renderCdaHtml(fixture('LDL-SES_2022.01.xml')) + renderCdaHtml(fixture('VSM_1.4_2022.01.xml')) + renderCdaHtml(fixture('BIO-CR-BIO_2024.01_TSH_1.xml')), /<t[dh][^>]* colspan="[23]"/);
  });

  it('renders a malicious CDA inert', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:h="http://www.w3.org/1999/xhtml">
  <code code="11488-4" codeSystem="${LOINC}" displayName="&lt;img src=x onerror=alert(1)&gt;"/>
  <title>&lt;script&gt;alert("titre")&lt;/script&gt;</title>
  <effectiveTime value="20240105"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="185054958815725"/>
    <patient><name><family qualifier="BR">&lt;b onmouseover=alert(2)&gt;MARTIN</family><given>"&gt;&lt;svg onload=alert(3)&gt;</given></name>
    <administrativeGenderCode code="M"/><birthTime value="19850515"/></patient></patientRole></recordTarget>
  <author><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="810001234567"/>
    <assignedPerson><name><given>Jean</given><family>DUPONT</family></name></assignedPerson></assignedAuthor></author>
  <component><structuredBody><component><section>
    <title>Résultats &lt;iframe src="https://evil.example"&gt;</title>
    <text>
      <paragraph styleCode='Bold" onclick="alert(4)'>Texte <content onclick="alert(5)" style="background:url(https://evil.example/x)" ID="c1">important</content></paragraph>
      <script>alert(6)</script>
      <h:script>alert(7)</h:script>
      <iframe src="https://evil.example"/>
      <linkHtml href="javascript:alert(8)" onmouseover="alert(9)">voir le dossier</linkHtml>
      <renderMultiMedia referencedObject="img1"/>
      <paragraph>&lt;a href="https://evil.example"&gt;clic&lt;/a&gt; &amp;amp; &#x3C;script&#x3E;</paragraph>
      <table border="1" onload="alert(10)"><caption>Tableau</caption><col width="50%"/>
        <tbody><tr><td colspan="2&quot; onclick=&quot;x" rowspan="3">A</td><td colspan="9999">B</td></tr></tbody></table>
      <list listType="ordered"><caption>Liste</caption><item>un<footnote>note<footnoteRef IDREF="c1"/></footnote></item></list>
      <content revised="delete">ancien</content>
    </text>
  </section></component></structuredBody></component>
</ClinicalDocument>`;
    const html = renderCdaHtml(xml);
    assertInert(html);
    assert.ok(html.includes('<h1>&lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt;</h1>'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('&lt;b onmouseover=alert(2)&gt;MARTIN'));
    assert.ok(html.includes('<p class="cda-bold">Texte <span>important</span></p>'));
    assert.ok(html.includes('<span class="cda-link">voir le dossier</span>'));
    assert.ok(html.includes('&lt;a href=&quot;https://evil.example&quot;&gt;clic&lt;/a&gt; &amp;amp; &lt;script&gt;'));
    assert.ok(html.includes('<td rowspan="3">A</td><td>B</td>'));
    assert.ok(html.includes('<p class="cda-caption">Liste</p><ol><li>un<small class="cda-footnote">note</small></li></ol>'));
    assert.ok(html.includes('<del>ancien</del>'));
    assert.ok(html.includes('Jean DUPONT RPPS 10001234567'));
  });

  it('survives a deeply nested narrative', () => {
    const deep = '<content>'.repeat(5000) + 'profond' + '</content>'.repeat(5000);
    const xml = fixture('VSM_1.4_2022.01.xml').replace(/<text>/, `<text>${deep}`);
    const html = renderCdaHtml(xml);
    assert.ok(html.includes('profond'));
    assertInert(html);
  });
});

describe('refusing what is not a usable CDA', () => {
  const minimal = (header: string) =>
    `<ClinicalDocument xmlns="urn:hl7-org:v3">${header}<recordTarget><patientRole/></recordTarget></ClinicalDocument>`;
  const complete = '<code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/><effectiveTime value="20240105"/><confidentialityCode code="N"/>';

  it('reads a minimal header', () => {
    const h = readCdaHeader(minimal(complete));
    assert.equal(h.title, '');
    assert.equal(h.effectiveTime, '2024-01-05');
    assert.deepEqual(h.patient, { ins: null, birthName: null, firstNames: null, sex: null, birthDate: null });
    assert.deepEqual(h.authors, []);
    assert.match(renderCdaHtml(minimal(complete)), /<h1>Document sans titre<\/h1>/);
  });

  it('reads a CDA decoded with its byte order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixture('VAC_2023.01.xml'))]);
    assert.equal(readCdaHeader(withBom.toString('utf8')).typeCode.code, '11369-6');
  });

  it('says in French what is missing or wrong', () => {
    assert.throws(() => readCdaHeader(minimal(complete.replace('<effectiveTime value="20240105"/>', ''))), /date du document/);
    assert.throws(() => readCdaHeader(minimal(complete.replace(/<code [^>]*>/, ''))), /type de document/);
    assert.throws(() => readCdaHeader('<ClinicalDocument/>'), /ClinicalDocument \(urn:hl7-org:v3\)/);
    assert.throws(() => readCdaHeader('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3">&e;</ClinicalDocument>'), CdaError);
    assert.throws(() => readCdaHeader(minimal(complete.replace('20240105', '20240230'))), /n’existe pas/);
  });
});

describe('HL7 times', () => {
  it('turns a time with its zone into a UTC instant', () => {
    assert.equal(hl7TimeToIso('20210401171000+0100'), '2021-04-01T16:10:00.000Z');
    assert.equal(hl7TimeToIso('201907011649+0100'), '2019-07-01T15:49:00.000Z');
    assert.equal(hl7TimeToIso('20210108111700.123-0300'), '2021-01-08T14:17:00.123Z');
  });

  it('reads a time without zone as Paris time, summer and winter', () => {
    assert.equal(hl7TimeToIso('20240115103000'), '2024-01-15T09:30:00.000Z');
    assert.equal(hl7TimeToIso('20240715103000'), '2024-07-15T08:30:00.000Z');
    assert.equal(hl7TimeToIso('202407151030'), '2024-07-15T08:30:00.000Z');
  });

  it('keeps dates as dates, at the precision given', () => {
    assert.equal(hl7TimeToIso('19790328'), '1979-03-28');
    assert.equal(hl7TimeToIso('197903'), '1979-03');
    assert.equal(hl7TimeToIso('1975'), '1975');
  });

  it('refuses what is not an HL7 time', () => {
    for (const bad of ['2021-04-01', '20211301', '20210431', '20210401250000', '197913', 'hier', '']) assert.throws(() => hl7TimeToIso(bad), CdaError, bad);
  });
});

describe('CDA rendering of hostile nesting (security review #11)', () => {
  const header =
    '<code code="11488-4" codeSystem="2.16.840.1.113883.6.1"/><effectiveTime value="20240105"/><confidentialityCode code="N"/><recordTarget><patientRole/></recordTarget>';
  const withSections = (n: number) =>
    `<ClinicalDocument xmlns="urn:hl7-org:v3">${header}<component><structuredBody>` +
    '<component><section><title>Niveau</title>'.repeat(n) + '<text>fond</text>' + '</section></component>'.repeat(n) +
    '</structuredBody></component></ClinicalDocument>';

  it('shows a document stored with 3,000 nested sections as too complex instead of failing', () => {
    const html = renderCdaHtml(withSections(3000));
    assert.match(html, /trop complexe pour être mis en forme/);
    assert.ok(html.includes('fond'));
  });

  it('shows sections nested past 20 levels as their text', () => {
    const html = renderCdaHtml(withSections(60));
    assert.equal(html.match(/<section/g)?.length, 20);
    assert.ok(html.includes('fond'));
  });
});
