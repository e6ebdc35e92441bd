// Adaptive Cards from JSON templates (bot/cards/templates/<name>.json), expanded with
// adaptivecards-templating. Templates read translated strings from `t` and data from the root.
import * as ACData from 'adaptivecards-templating';
import * as fs from 'fs';
import * as path from 'path';
import { strings } from '../i18n/i18n';
import type { Locale } from '../domain/types';

export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

function templatesDir(): string {
  const candidates = [path.join(__dirname, 'templates'), path.join(__dirname, '..', '..', '..', 'bot', 'cards', 'templates')];
  const dir = candidates.find((d) => fs.existsSync(d));
  if (!dir) throw new Error(`card templates not found next to ${__dirname}`);
  return dir;
}

const templates = new Map<string, ACData.Template>();

export function templateNames(): string[] {
  return fs.readdirSync(templatesDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

function template(name: string): ACData.Template {
  let tpl = templates.get(name);
  if (!tpl) {
    if (!/^[a-zA-Z0-9-]+$/.test(name)) throw new Error(`bad card name ${name}`);
    tpl = new ACData.Template(JSON.parse(fs.readFileSync(path.join(templatesDir(), `${name}.json`), 'utf8')));
    templates.set(name, tpl);
  }
  return tpl;
}

/** Renders card `name` with `data` in `locale`. User-written text must go through escapeMarkdown first. */
export function renderCard(name: string, data: object, locale: Locale): Card {
  return template(name).expand({ $root: { ...data, t: strings(locale), locale } }) as Card;
}

/**
 * Teams renders a subset of Markdown in TextBlocks. People's own words (names, learnings,
 * blockers) are shown as typed, never as formatting or links: escape what Markdown would read.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\\`*_[\]()#+!|<>~]/g, (c) => '\\' + c)
    .replace(/^(\s*)-(\s)/gm, '$1\\-$2')
    .replace(/^(\s*)(\d+)\.(\s)/gm, '$1$2\\.$3');
}
