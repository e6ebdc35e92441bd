// What the scheduler does for each programme on every tick (bot/checkins/scheduler.ts): rounds
// (open, close, remind), pauses that end today, the mid-point pulse, the end of the feedback window, and the end of
// the retention period. Every step is idempotent (ETag writes), so several instances can tick at once.
import { localDate } from '../domain/checkins';
import type { Programme } from '../domain/types';
import { pulseDue } from '../domain/outcomes';
import { closeProgramme, eraseFreeText, queuePulse, tendRounds } from './checkins';
import { tellPairChange } from './pairNotices';
import { pausesDue, resume } from './participants';
import { programmesToTend } from './programmes';
import type { Services } from './services';

/** When a closed programme's free text is erased: RETENTION_MONTHS after it closed. */
export function retentionEnds(p: Pick<Programme, 'closedAt'>, months: number): Date | undefined {
  if (!p.closedAt) return undefined;
  const d = new Date(p.closedAt);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** People whose pause ends today (where the programme runs) are resumed, and they, their partners and the admins are told. */
export async function resumeDuePauses(svc: Services, p: Programme): Promise<number> {
  const today = localDate(svc.now(), p.timeZone);
  const due = await pausesDue(svc, p, today);
  for (const person of due) {
    const pairs = await resume(svc, p, person.userId);
    await tellPairChange(svc, p, { id: person.userId, name: person.name }, pairs, { kind: 'resumed', automatically: true });
  }
  return due.length;
}

export async function scheduleProgramme(svc: Services, p: Programme): Promise<void> {
  const now = svc.now();
  if (p.status === 'closed') {
    const ends = retentionEnds(p, svc.config.retentionMonths);
    if (!p.textErasedAt && ends && ends <= now) await eraseFreeText(svc, p);
    return;
  }
  if (p.status === 'closing' && p.feedbackUntil && new Date(p.feedbackUntil) <= now) {
    await closeProgramme(svc, p.tenantId, p.id);
    return;
  }
  if (p.status === 'running') await resumeDuePauses(svc, p);
  await tendRounds(svc, p);
  if (pulseDue(p, now)) await queuePulse(svc, p);
}

/** One tick: every programme of every tenant that has something left to do. */
export async function scheduleAll(svc: Services): Promise<void> {
  for (const p of await programmesToTend(svc)) {
    await scheduleProgramme(svc, p).catch((err) => {
      console.error(`[checkins] scheduling a programme failed: ${(err as Error)?.name ?? 'Error'}`);
    });
  }
}
