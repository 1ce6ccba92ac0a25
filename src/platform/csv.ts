import { createReadStream } from 'node:fs';
import { CsvError as ParseError, parse, type Info, type Options } from 'csv-parse';

/**
 * The CSV files the insurance provides (directories, the care-history feed), read as a stream
 * by csv-parse (RFC 4180: comma separator, double quotes around fields that hold commas, quotes
 * or line breaks, "" for a quote inside; CRLF, LF or CR; a UTF-8 byte order mark, as
 * spreadsheets add) in batches of rows keyed by the header's names, without holding the file
 * in memory: files hold millions of lines.
 *
 * A loader reports every bad line with its number and goes on: one typo must not hold back a
 * whole file. csv-parse stops at a syntax error (a character after a closing quote, a quote
 * inside an unquoted field) and cannot tell where the next record starts; the reader then drops
 * the rest of that physical line, as a person reading the file would, and starts a new parser
 * on the next one. Line numbers are counted here from the records' own line breaks (csv-parse
 * counts a CRLF inside a quoted field as two lines).
 */

export interface CsvRow {
  /** Line of the file where the record starts (1 is the header), for error messages. */
  readonly line: number;
  readonly fields: Record<string, string>;
}

export interface CsvLineError {
  readonly line: number;
  readonly message: string;
}

export interface CsvBatch {
  header: string[];
  rows: CsvRow[];
  errors: CsvLineError[];
}

const EMPTY_FILE = 'Le fichier est vide : la ligne d’en-tête manque.';

const OPTIONS: Options = {
  // What csv-parse read of a record up to a syntax error, to know where the line of the error ends.
  raw: true,
  // The count is checked here, so that the line is reported in French and the file goes on.
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

interface Parsed {
  record: string[];
  info: Info;
}

/** Batches of `batchSize` records (rows and refused lines) of the CSV file at `path`. */
export async function* csvBatches(path: string, batchSize = 1000): AsyncGenerator<CsvBatch> {
  const reading = new Reading();
  let batch = reading.newBatch();
  for (let from: number | null = 0; from !== null; ) {
    reading.startParser(from);
    try {
      for await (const { record, info } of recordsFrom(path, from)) {
        const outcome = reading.record(record, info);
        if (outcome === 'header') {
          batch = reading.newBatch();
          continue;
        }
        if ('message' in outcome) return yield reading.unreadableHeader(outcome);
        if ('refused' in outcome) batch.errors.push(outcome.refused);
        else batch.rows.push(outcome);
        if (batch.rows.length + batch.errors.length >= batchSize) {
          yield batch;
          batch = reading.newBatch();
        }
      }
      from = null;
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const refused = reading.syntaxError(error);
      if (reading.header.length === 0) return yield reading.unreadableHeader(refused.error);
      batch.errors.push(refused.error);
      from = refused.resumeAt && (await offsetAfterLineBreaks(path, refused.resumeAt.from, refused.resumeAt.breaks));
    }
  }
  if (reading.header.length === 0) yield reading.unreadableHeader({ line: 1, message: EMPTY_FILE });
  else if (batch.rows.length + batch.errors.length > 0) yield batch;
}

/**
 * The records of the file from byte `from`, then csv-parse's syntax error if there is one. Records
 * are taken as csv-parse makes them (on_record), chunk by chunk: a stream that fails drops what
 * it had not yet handed on, and the records before the error are good ones.
 */
async function* recordsFrom(path: string, from: number): AsyncGenerator<Parsed> {
  const found: Parsed[] = [];
  const parser = parse({
    ...OPTIONS,
    bom: from === 0,
    on_record: (entry, info) => {
      // With `raw`, csv-parse hands each record as { record, raw } (its types say string[]).
      found.push({ record: (entry as unknown as { record: string[] }).record, info });
      return null;
    },
  });
  parser.on('error', () => {}); // read from parser.errored after each chunk
  parser.resume();
  const input = createReadStream(path, { start: from });
  try {
    for await (const chunk of input) {
      parser.write(chunk); // parsed at once: the transform has nothing to wait for
      yield* found.splice(0);
      if (parser.errored) throw parser.errored;
    }
    await new Promise<void>((resolve) => parser.end(() => resolve()));
    yield* found.splice(0);
    if (parser.errored) throw parser.errored;
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** Where the reading is: the header, and the line and byte where the next record starts. */
class Reading {
  header: string[] = [];
  /** Line where the record after the last one read starts, blank lines before it aside. */
  private nextLine = 1;
  /** Byte just after the last record read (its line break included). */
  private lastEnd = 0;
  private parserStart = 0;
  /** Blank lines the current parser had skipped at the last record. */
  private blankLines = 0;

  newBatch(): CsvBatch {
    return { header: this.header, rows: [], errors: [] };
  }

  /** The only batch of a file whose header cannot be read: nothing below it can be either. */
  unreadableHeader(error: CsvLineError): CsvBatch {
    return { header: this.header, rows: [], errors: [error] };
  }

  startParser(from: number): void {
    this.parserStart = from;
    this.lastEnd = from;
    this.blankLines = 0;
  }

  /** The header (checked), a row, or a line refused for its number of fields. */
  record(values: string[], info: Info): 'header' | CsvLineError | CsvRow | { refused: CsvLineError } {
    const line = this.nextLine + info.empty_lines - this.blankLines;
    this.nextLine = line + lineBreaks(values.join('')) + 1;
    this.blankLines = info.empty_lines;
    this.lastEnd = this.parserStart + info.bytes;
    if (this.header.length === 0) {
      this.header = values.map((name) => name.trim());
      return checkHeader(this.header, line) ?? 'header';
    }
    if (values.length !== this.header.length) {
      return { refused: { line, message: `Ligne ${line} : ${values.length} champs au lieu de ${this.header.length} (comme l’en-tête).` } };
    }
    return { line, fields: Object.fromEntries(this.header.map((name, i) => [name, values[i] ?? ''])) };
  }

  /**
   * The refused record (reported at the line where it starts), and where to read on: after the
   * line break that ends the line of the error, counted from the last record read (`raw` holds
   * what csv-parse read since then: blank lines, then the record up to the error).
   */
  syntaxError(error: ParseError): { error: CsvLineError; resumeAt: { from: number; breaks: number } | null } {
    const line = this.nextLine + Number(error.empty_lines ?? 0) - this.blankLines;
    const readSinceLast = String(error.raw ?? '');
    const message = syntaxMessage(error, line);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') return { error: { line, message }, resumeAt: null };
    const breaks = lineBreaks(readSinceLast) + 1;
    this.nextLine = this.nextLine + breaks;
    return { error: { line, message }, resumeAt: { from: this.lastEnd, breaks } };
  }
}

function syntaxMessage(error: ParseError, line: number): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `Ligne ${line} : guillemet ouvert jamais refermé.`;
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const got = /got "(.+?)" at line/.exec(error.message)?.[1] ?? '?';
      return `Ligne ${line} : caractère « ${got} » après un guillemet fermant.`;
    }
    case 'INVALID_OPENING_QUOTE':
      return `Ligne ${line} : guillemet au milieu d’un champ ; un champ qui contient des guillemets s’écrit entre guillemets, chacun doublé ("").`;
    default:
      throw error;
  }
}

function checkHeader(header: string[], line: number): CsvLineError | null {
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') return { line, message: `Ligne ${line} : l’en-tête contient une colonne sans nom.` };
    if (seen.has(name)) return { line, message: `Ligne ${line} : la colonne « ${name} » apparaît deux fois dans l’en-tête.` };
    seen.add(name);
  }
  return null;
}

/** Line breaks in a text: CRLF, LF or CR, each one. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** The byte after the `count`-th line break from `from` in the file, or null when the file ends first. */
async function offsetAfterLineBreaks(path: string, from: number, count: number): Promise<number | null> {
  const CR = 0x0d;
  const LF = 0x0a;
  let at = from;
  let seen = 0;
  let afterCr = false;
  for await (const chunk of createReadStream(path, { start: from }) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (afterCr) {
        afterCr = false;
        if (seen === count) return byte === LF ? at + 1 : at;
        if (byte === LF) {
          at++;
          continue;
        }
      }
      if (byte === CR) {
        seen++;
        afterCr = true;
      } else if (byte === LF) {
        seen++;
        if (seen === count) return at + 1;
      }
      at++;
    }
  }
  return afterCr && seen === count ? at : null;
}
