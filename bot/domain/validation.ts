// Small, strict readers for card submissions: Adaptive Cards send strings ("1,3" for a
// multi-select, "true" for a toggle), forged clients send anything. Each reader either
// returns a clean value or records a problem, never throws.

export interface Problem {
  /** i18n key under `errors.` and its parameters. */
  key: string;
  params?: Record<string, string | number>;
}

export class Reader {
  readonly problems: Problem[] = [];
  constructor(private readonly input: Record<string, unknown>) {}

  private raw(field: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.input, field) ? this.input[field] : undefined;
  }

  private fail(key: string, field: string, params: Record<string, string | number> = {}): undefined {
    this.problems.push({ key, params: { field, ...params } });
    return undefined;
  }

  /** Free text: control characters removed, trimmed, length-checked. */
  text(field: string, opts: { max: number; required?: boolean; min?: number }): string | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return opts.required ? this.fail('required', field) : '';
    if (typeof v !== 'string') return this.fail('notText', field);
    const clean = cleanText(v);
    if (!clean) return opts.required ? this.fail('required', field) : '';
    if (clean.length > opts.max) return this.fail('tooLong', field, { max: opts.max });
    if (opts.min && clean.length < opts.min) return this.fail('tooShort', field, { min: opts.min });
    return clean;
  }

  int(field: string, opts: { min: number; max: number; required?: boolean }): number | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return opts.required ? this.fail('required', field) : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) return this.fail('notNumber', field);
    if (n < opts.min || n > opts.max) return this.fail('outOfRange', field, { min: opts.min, max: opts.max });
    return n;
  }

  choice<T extends string>(field: string, allowed: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return opts.required ? this.fail('required', field) : undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) return this.fail('notAllowed', field);
    return v as T;
  }

  /** A multi-select: "a,b" (what Teams sends) or an array; every entry must be allowed. */
  choices<T extends string>(field: string, allowed: readonly T[], opts: { min?: number; max?: number } = {}): T[] | undefined {
    const v = this.raw(field);
    const list = v === undefined || v === null || v === '' ? [] : typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : null;
    if (list === null || !list.every((x) => typeof x === 'string')) return this.fail('notAllowed', field);
    const items = [...new Set((list as string[]).map((x) => x.trim()).filter(Boolean))];
    if (!items.every((x) => (allowed as readonly string[]).includes(x))) return this.fail('notAllowed', field);
    if (opts.min && items.length < opts.min) return this.fail(opts.min === 1 ? 'required' : 'tooFew', field, { min: opts.min });
    if (opts.max && items.length > opts.max) return this.fail('tooMany', field, { max: opts.max });
    return items as T[];
  }

  bool(field: string): boolean | undefined {
    const v = this.raw(field);
    if (v === true || v === 'true') return true;
    if (v === undefined || v === null || v === '' || v === false || v === 'false') return false;
    return this.fail('notAllowed', field);
  }

  /** YYYY-MM-DD, a real calendar date. */
  date(field: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return opts.required ? this.fail('required', field) : undefined;
    if (typeof v !== 'string' || !isIsoDate(v)) return this.fail('notDate', field);
    return v;
  }

  /** An IANA time zone this runtime knows. */
  timeZone(field: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.text(field, { max: 64, required: opts.required });
    if (!v) return v;
    if (!isTimeZone(v)) return this.fail('notTimeZone', field);
    return v;
  }

  /** An opaque id we issued (programme ids, form ids): letters, digits, dashes. */
  id(field: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.raw(field);
    if (v === undefined || v === null || v === '') return opts.required ? this.fail('required', field) : undefined;
    if (typeof v !== 'string' || !/^[A-Za-z0-9-]{4,40}$/.test(v)) return this.fail('notAllowed', field);
    return v;
  }
}

export function cleanText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\r\n?/g, '\n')
    .trim();
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return /\//.test(tz) || tz === 'UTC';
  } catch {
    return false;
  }
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}
