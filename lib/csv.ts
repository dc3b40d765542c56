/** Spreadsheet-safe CSV cell: quoted when needed, and never read as a formula (a leading = + - @ gets a '). */
export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? "" : typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLines(header: string[], rows: unknown[][]): string {
  return `${[header.join(","), ...rows.map((row) => row.map(csvCell).join(","))].join("\n")}\n`;
}
