// CSV for spreadsheets: RFC 4180 quoting, and formulas defused.

/** One CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula. */
export function csvField(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  // A leading = + - @ (or tab / CR) makes Excel and others evaluate the cell: prefix a quote.
  // A number is a number (a negative score stays -20), never a formula.
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
