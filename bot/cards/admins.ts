// The admins card: who the tenant's programme admins are, after an add or remove.
import type { Admin } from '../domain/types';
import { t } from '../i18n/i18n';
import type { Reader } from './common';
import { Card, escapeMarkdown, renderCard } from './render';

export function adminsCard(to: Reader, note: string, admins: Array<{ admin: Admin; name: string }>): Card {
  return renderCard(
    'admins',
    { note, admins: admins.map(({ admin: a, name }) => ({ name: escapeMarkdown(name), detail: a.source === 'config' ? t(to.locale, 'admins.configured') : a.addedAt.slice(0, 10) })) },
    to.locale,
  );
}
