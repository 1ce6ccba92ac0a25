/**
 * Minimal CSV reader (RFC 4180) for the directory files the insurance provides: comma
 * separator, double quotes around fields that contain commas, quotes or line breaks, "" for a
 * quote inside. Accepts CRLF or LF and a UTF-8 byte order mark (spreadsheets add one).
 * Pure: the caller reads the file; this only splits text, so that a loader can report every bad
 * line with its number instead of stopping at the first.
 */

export interface CsvRow {
  /** Line of the file where the record starts (1 is the header), for error messages. */
  readonly line: number;
  readonly fields: Record<string, string>;
}

export interface CsvError {
  readonly line: number;
  readonly message: string;
}

export interface CsvParseResult {
  readonly header: string[];
  readonly rows: CsvRow[];
  readonly errors: CsvError[];
}

interface RawRecord {
  line: number;
  values: string[];
  /** A record made of one empty unquoted field is a blank line, not data. */
  blank: boolean;
}

export function parseCsv(text: string): CsvParseResult {
  const { records, errors } = splitRecords(text.replace(/^\uFEFF/, ''));
  const data = records.filter((r) => !r.blank);
  const headerRecord = data.shift();
  if (!headerRecord) {
    return { header: [], rows: [], errors: [...errors, { line: 1, message: 'Le fichier est vide : la ligne d’en-tête manque.' }] };
  }
  const header = headerRecord.values.map((name) => name.trim());
  const headerError = checkHeader(header, headerRecord.line);
  if (headerError) return { header, rows: [], errors: [...errors, headerError] };

  const rows: CsvRow[] = [];
  for (const record of data) {
    if (record.values.length !== header.length) {
      errors.push({
        line: record.line,
        message: `Ligne ${record.line} : ${record.values.length} champs au lieu de ${header.length} (comme l’en-tête).`,
      });
      continue;
    }
    const fields: Record<string, string> = {};
    header.forEach((name, i) => {
      fields[name] = record.values[i] ?? '';
    });
    rows.push({ line: record.line, fields });
  }
  errors.sort((a, b) => a.line - b.line);
  return { header, rows, errors };
}

function checkHeader(header: string[], line: number): CsvError | null {
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') return { line, message: `Ligne ${line} : l’en-tête contient une colonne sans nom.` };
    if (seen.has(name)) return { line, message: `Ligne ${line} : la colonne « ${name} » apparaît deux fois dans l’en-tête.` };
    seen.add(name);
  }
  return null;
}

/** One pass over the characters; line numbers count the breaks inside quoted fields too. */
function splitRecords(text: string): { records: RawRecord[]; errors: CsvError[] } {
  const records: RawRecord[] = [];
  const errors: CsvError[] = [];
  let line = 1;
  let current: RawRecord = { line, values: [], blank: true };
  let field = '';
  let quoted = false; // inside quotes
  let afterQuote = false; // the field was quoted and its closing quote has been read
  let broken = false; // the record had a syntax error and is dropped

  const endField = () => {
    current.values.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    current.blank = current.blank && current.values.length === 1 && current.values[0] === '';
    if (!broken) records.push(current);
    broken = false;
    current = { line, values: [], blank: true };
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (c === '\n' || (c === '\r' && text.charAt(i + 1) !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i++;
      line++;
      endRecord();
    } else if (afterQuote) {
      if (!broken) {
        errors.push({ line: current.line, message: `Ligne ${current.line} : caractère « ${c} » après un guillemet fermant.` });
      }
      broken = true;
    } else if (c === '"' && field === '') {
      quoted = true;
      current.blank = false;
    } else {
      field += c;
    }
  }
  if (quoted) {
    errors.push({ line: current.line, message: `Ligne ${current.line} : guillemet ouvert jamais refermé.` });
    broken = true;
  }
  // A last line without a final line break is still a record.
  if (field !== '' || current.values.length > 0 || afterQuote || broken) endRecord();
  return { records, errors };
}
