import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseCsv, type CsvRow } from './csv';

/**
 * Reads a CSV file as batches of parsed rows without holding the whole file in
 * memory: directories from the insurance can hold millions of lines. Lines are
 * grouped into complete records (a quoted field may span lines), and each batch
 * is parsed with the header; line numbers stay those of the file.
 */
export interface CsvBatch {
  header: string[];
  rows: CsvRow[];
  errors: { line: number; message: string }[];
}

export async function* csvBatches(path: string, batchSize = 1000): AsyncGenerator<CsvBatch> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let headerLine: string | null = null;
  let pending: string[] = [];
  let pendingStart = 2;
  let record: string[] = [];
  let insideQuotes = false;
  let lineNumber = 0;

  const flush = (): CsvBatch => {
    const parsed = parseCsv(`${headerLine}\n${pending.join('\n')}`);
    // In the parsed text the header is line 1; in the file this batch starts at pendingStart.
    const shift = (line: number) => line - 2 + pendingStart;
    const batch = {
      header: parsed.header,
      rows: parsed.rows.map((r) => ({ line: shift(r.line), fields: r.fields })),
      errors: parsed.errors.map((e) => ({ line: shift(e.line), message: e.message })),
    };
    pending = [];
    return batch;
  };

  for await (const line of lines) {
    lineNumber += 1;
    if (headerLine === null) {
      headerLine = line;
      continue;
    }
    if (pending.length === 0 && record.length === 0) pendingStart = lineNumber;
    record.push(line);
    // An odd count of quotes opens or closes a quoted field that goes on to the next line.
    if ((line.split('"').length - 1) % 2 === 1) insideQuotes = !insideQuotes;
    if (insideQuotes) continue;
    pending.push(record.join('\n'));
    record = [];
    if (pending.length >= batchSize) yield flush();
  }
  if (record.length) pending.push(record.join('\n'));
  if (headerLine === null) {
    yield { header: [], rows: [], errors: [{ line: 1, message: 'Le fichier est vide : la ligne d’en-tête manque.' }] };
  } else if (pending.length) {
    yield flush();
  }
}
