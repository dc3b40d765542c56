import { badRequest } from "./errors";

/**
 * ImportApiKeys' CSV ("API Gateway API key file format" in the developer guide): a header row whose
 * column names are case-insensitive and in any order; `Name` and `Key` are required, `Description`,
 * `Enabled` and `UsagePlanIds` optional, other columns ignored. A cell may be quoted with double or
 * single quotes (how several usage plan ids share one cell: `"c7y23b,glvrsr"`). Missing values
 * default to an empty string, and `Enabled` to true.
 */
export interface ImportedKeyRow {
  /** 1-based line of the row in the file (the header is line 1), for warnings. */
  line: number;
  name: string;
  value: string;
  description: string;
  enabled: boolean;
  usagePlanIds: string[];
}

interface CsvRow {
  line: number;
  cells: string[];
}

const QUOTING = "a value that starts with a quote must be quoted whole, with each quote inside it doubled";

/**
 * RFC 4180 CSV plus single-quoted cells; a quote opens a quoted cell only at the cell's start (so
 * `O'Brien` is plain text), a doubled quote inside one stands for the quote itself, and after the
 * closing quote only blanks may come before the next comma or line break. A file that breaks
 * these rules is refused (400, naming the line where the quoted value began) rather than read
 * with rows merged into one cell: a name such as `'Tis mine` opens a quote, as the developer guide
 * says single quotes do, and everything up to the next `'` would otherwise be that one value.
 * (AWS's own message for such a file is not documented.)
 */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = "";
  let quote: string | null = null;
  /** The line the current (or last) quoted value opened on. */
  let quoteLine = 0;
  /** The current cell was quoted and its quote has closed: only blanks may follow. */
  let closed = false;
  let line = 1;
  let rowLine = 1;
  const endCell = () => {
    cells.push(cell);
    cell = "";
    closed = false;
  };
  const endRow = () => {
    endCell();
    if (cells.some((c) => c.trim() !== "")) rows.push({ line: rowLine, cells });
    cells = [];
  };
  const input = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quote) {
      if (c === quote && input[i + 1] === quote) {
        cell += c;
        i++;
      } else if (c === quote) {
        quote = null;
        closed = true;
      } else {
        if (c === "\n" || (c === "\r" && input[i + 1] !== "\n")) line++;
        cell += c;
      }
    } else if (c === ",") {
      endCell();
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else if (closed) {
      if (c.trim() !== "") {
        throw badRequest(`Invalid API key file: line ${line} has text after the quoted value that opens on line ${quoteLine}; ${QUOTING}`);
      }
    } else if ((c === '"' || c === "'") && cell.trim() === "") {
      quote = c;
      quoteLine = line;
      cell = "";
    } else {
      cell += c;
    }
  }
  if (quote) throw badRequest(`Invalid API key file: the ${quote} on line ${quoteLine} opens a quoted value that is never closed; ${QUOTING}`);
  if (cell !== "" || cells.length || closed) endRow();
  return rows;
}

/** Java's Boolean.parseBoolean, which API Gateway applies to boolean strings: only "true" (any case) is true. */
export const parseJavaBoolean = (value: string | undefined) => value?.trim().toLowerCase() === "true";

/**
 * The rows of an API key file. A file without the `Key` or `Name` column is refused outright, as AWS
 * does ("Missing required column 'Key'", the message AWS answers boto3 users with, boto/boto3#1280);
 * the rows themselves are checked by the caller, which reports problems as warnings.
 */
export function parseApiKeyFile(body: Buffer): ImportedKeyRow[] {
  const [header, ...rows] = parseCsv(body.toString("utf8"));
  const columns = new Map((header?.cells ?? []).map((name, index) => [name.trim().toLowerCase(), index]));
  for (const required of ["Key", "Name"]) {
    if (!columns.has(required.toLowerCase())) throw badRequest(`Missing required column '${required}'`);
  }
  const cell = (row: CsvRow, column: string) => {
    const index = columns.get(column);
    return index === undefined ? "" : (row.cells[index] ?? "").trim();
  };
  return rows.map((row) => {
    const enabled = cell(row, "enabled");
    return {
      line: row.line,
      name: cell(row, "name"),
      value: cell(row, "key"),
      description: cell(row, "description"),
      enabled: enabled === "" ? true : parseJavaBoolean(enabled),
      usagePlanIds: cell(row, "usageplanids")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    };
  });
}
