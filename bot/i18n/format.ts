// Fills a message: `{name}` placeholders and ICU-style plurals, `{count, plural, one {# pair}
// other {# pairs}}` (also `=0 {...}`), chosen by the language's own rules (Intl.PluralRules).
// Shared by the bot and the tab, so it uses nothing but the language.

const rules = new Map<string, Intl.PluralRules>();
const pluralRules = (locale: string) => rules.get(locale) ?? rules.set(locale, new Intl.PluralRules(locale)).get(locale)!;

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The forms of a plural's options, `one {...} other {...}`, by selector. */
function pluralForms(options: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (let i = 0; i < options.length; ) {
    const m = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(options.slice(i));
    if (!m) break;
    const open = i + m[0].length - 1;
    const end = closing(options, open);
    if (end < 0) break;
    forms.set(m[1], options.slice(open + 1, end));
    i = end + 1;
  }
  return forms;
}

function plural(options: string, value: number, params: Record<string, string | number>, locale: string): string {
  const forms = pluralForms(options);
  const body = forms.get(`=${value}`) ?? forms.get(pluralRules(locale).select(value)) ?? forms.get('other') ?? '';
  return formatMessage(body.replace(/#/g, new Intl.NumberFormat(locale).format(value)), params, locale);
}

export function formatMessage(template: string, params: Record<string, string | number>, locale: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const end = open < 0 ? -1 : closing(template, open);
    if (open < 0 || end < 0) return out + template.slice(i);
    out += template.slice(i, open);
    const inner = template.slice(open + 1, end);
    const p = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    if (p && typeof params[p[1]] === 'number') out += plural(p[2], params[p[1]] as number, params, locale);
    else if (/^\w+$/.test(inner) && inner in params) out += String(params[inner]);
    else out += `{${inner}}`;
    i = end + 1;
  }
  return out;
}

/** The plain placeholder names a message uses (outside and inside plural forms), sorted. */
export function placeholderNames(template: string): string[] {
  const names = new Set<string>();
  // Walks the braces like formatMessage does: the text of a plural form ("one {the only pair}")
  // is not a placeholder, the placeholders inside it are.
  const walk = (s: string) => {
    for (let i = 0; i < s.length; ) {
      const open = s.indexOf('{', i);
      const end = open < 0 ? -1 : closing(s, open);
      if (end < 0) return;
      const inner = s.slice(open + 1, end);
      const p = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
      if (p) {
        names.add(p[1]);
        for (const body of pluralForms(p[2]).values()) walk(body);
      } else if (/^\s*\w+\s*$/.test(inner)) names.add(inner.trim());
      i = end + 1;
    }
  };
  walk(template);
  return [...names].sort();
}
