import * as AC from 'adaptivecards';
import { renderCard, templateNames, escapeMarkdown } from '../bot/cards/render';
import { checkTranslations } from '../bot/i18n/i18n';
import { LOCALES } from '../bot/domain/types';
import { cardSamples } from './cardSamples';

/** What Teams would complain about: parser validation events against schema 1.5, version, size. */
function problemsOf(card: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const version = String(card.version ?? '');
  if (!/^1\.[0-5]$/.test(version)) problems.push(`declares version ${version}, Teams renders up to 1.5`);
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > 28 * 1024) problems.push(`is ${size} bytes, over Teams' 28 KB`);
  const ac = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  ac.parse(card, context);
  for (const e of context.eventCount ? Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i)) : []) {
    problems.push(`parse: ${e.message}`);
  }
  for (const e of ac.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  if (JSON.stringify(card).includes('${')) problems.push('has an unexpanded ${...} expression');
  return problems;
}

describe('card templates', () => {
  it('every template has sample data', () => {
    expect(templateNames().filter((n) => !cardSamples[n])).toEqual([]);
  });

  for (const name of templateNames()) {
    it(`${name} renders as a valid 1.5 card under 28 KB in every language`, () => {
      for (const locale of LOCALES) {
        for (const sample of cardSamples[name] ?? []) {
          const card = renderCard(name, sample, locale);
          expect({ name, locale, problems: problemsOf(card) }).toEqual({ name, locale, problems: [] });
        }
      }
    });
  }

  it('the validator catches a broken card (so the checks above can fail)', () => {
    expect(problemsOf({ type: 'AdaptiveCard', version: '1.6', body: [] })).toContain('declares version 1.6, Teams renders up to 1.5');
    expect(problemsOf({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] }).length).toBeGreaterThan(0);
    expect(problemsOf({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Nonsense' }] }).length).toBeGreaterThan(0);
  });

  it('translations are complete in German and Dutch', () => {
    expect(checkTranslations()).toEqual([]);
  });

  it('people\'s own words are shown as text, not as Markdown', () => {
    expect(escapeMarkdown('**bold** [link](http://x) _i_')).toBe('\\*\\*bold\\*\\* \\[link\\]\\(http://x\\) \\_i\\_');
    expect(escapeMarkdown('- item\n1. first')).toBe('\\- item\n1\\. first');
    const card = renderCard('notice', { title: escapeMarkdown('${t.help.title} **x**'), text: '', items: [], actions: [] }, 'en');
    // A template expression typed by a user stays literal text.
    expect((card.body as Array<{ text: string }>)[0].text).toBe('${t.help.title} \\*\\*x\\*\\*');
  });
});
