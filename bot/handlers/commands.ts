// The command table: every command people can type (its words, who may run it, which Teams
// command menus offer it, and the handler that answers it) and every card button. The router,
// the help card and the manifest's command lists (checked by tests/manifest.test.ts) all read it.
import { helpCard } from '../cards/help';
import type { CommandDef, Scope } from '../domain/commands';
import { isAdmin } from '../services/admins';
import type { Services } from '../services/services';
import * as admins from './admins';
import * as checkins from './checkins';
import * as data from './data';
import * as enrol from './enrol';
import * as join from './join';
import * as knowledge from './knowledgeMap';
import * as ladder from './ladder';
import * as outcomes from './outcomes';
import * as pairing from './pairing';
import * as programmes from './programmes';
import type { Turn } from './turn';

export type CommandHandler = (svc: Services, turn: Turn, args: string) => Promise<void>;
export type SubmitHandler = (svc: Services, turn: Turn, value: Record<string, unknown>) => Promise<void>;

export interface Command extends CommandDef {
  handler: CommandHandler;
  /** The Teams command menus (the manifest's commandLists, by scope) that offer it. */
  menu: Scope[];
}

const ALL: Scope[] = ['personal', 'team', 'groupChat'];

async function help(svc: Services, turn: Turn): Promise<void> {
  await turn.send(helpCard(turn.locale, COMMANDS, await isAdmin(svc, turn.tenantId, turn.userId)));
}

export const COMMANDS: readonly Command[] = [
  { id: 'help', words: 'help', admin: false, usage: 'help', menu: ALL, handler: help },
  { id: 'join', words: 'join', admin: false, usage: 'join', menu: ALL, handler: join.join },
  { id: 'profile', words: 'profile', admin: false, usage: 'profile', menu: ['personal'], handler: join.profile },
  { id: 'myPair', words: 'my pair', admin: false, usage: 'my pair', menu: ['personal', 'groupChat'], handler: pairing.myPair },
  { id: 'ladder', words: 'ladder', admin: false, usage: 'ladder', menu: ['personal', 'groupChat'], handler: ladder.ladder },
  { id: 'checkin', words: 'checkin', admin: false, usage: 'checkin', menu: ['personal', 'groupChat'], handler: checkins.checkin },
  { id: 'pause', words: 'pause', admin: false, usage: 'pause', menu: ['personal', 'groupChat'], handler: join.pause },
  { id: 'resume', words: 'resume', admin: false, usage: 'resume', menu: [], handler: join.resume },
  { id: 'leave', words: 'leave', admin: false, usage: 'leave', menu: ['personal'], handler: join.leave },
  { id: 'myProgress', words: 'my progress', admin: false, usage: 'my progress', menu: ['personal', 'groupChat'], handler: outcomes.myProgress },
  { id: 'myData', words: 'my data', admin: false, usage: 'my data', menu: ['personal'], handler: data.myData },
  // Teams shows ten commands a menu: "forget me" is typed (the consent text and help name it).
  { id: 'forgetMe', words: 'forget me', admin: false, usage: 'forget me', menu: [], handler: data.forgetMe },
  { id: 'programmeNew', words: 'programme new', admin: true, usage: 'programme new', menu: ['team'], handler: programmes.programmeNew },
  { id: 'programmeOpen', words: 'programme open', admin: true, usage: 'programme open [name]', menu: ['team'], handler: programmes.programmeOpen },
  { id: 'programmeClose', words: 'programme close', admin: true, usage: 'programme close [name] [now]', menu: ['team'], handler: programmes.programmeClose },
  { id: 'programmePost', words: 'programme post', admin: true, usage: 'programme post [name]', menu: [], handler: programmes.programmePost },
  { id: 'programmePulse', words: 'programme pulse', admin: true, usage: 'programme pulse [name] [on|off]', menu: [], handler: outcomes.programmePulse },
  { id: 'programmes', words: 'programmes', admin: true, usage: 'programmes', menu: ['team'], handler: programmes.programmes },
  { id: 'enrol', words: 'enrol', admin: true, usage: 'enrol @person|group <name> as mentor|mentee', menu: ['team'], handler: enrol.enrol },
  { id: 'pair', words: 'pair', admin: true, usage: 'pair [@mentor @mentee]', menu: ['team'], handler: pairing.pair },
  { id: 'unpair', words: 'unpair', admin: true, usage: 'unpair @person', menu: [], handler: pairing.unpair },
  { id: 'status', words: 'status', admin: true, usage: 'status', menu: ['team'], handler: checkins.status },
  { id: 'knowledgeMap', words: 'knowledge map', admin: true, usage: 'knowledge map', menu: ['team'], handler: knowledge.knowledgeMap },
  { id: 'remind', words: 'remind', admin: true, usage: 'remind', menu: [], handler: checkins.remind },
  { id: 'checkinsSend', words: 'checkins send', admin: true, usage: 'checkins send', menu: [], handler: checkins.checkinsSend },
  { id: 'export', words: 'export', admin: true, usage: 'export', menu: [], handler: data.exportProgramme },
  { id: 'admins', words: 'admins', admin: true, usage: 'admins [add|remove @person]', menu: [], handler: admins.admins },
  { id: 'reportingLines', words: 'reporting lines', admin: true, usage: 'reporting lines on|off [programme]', menu: [], handler: programmes.reportingLines },
];

export interface Submit {
  handler: SubmitHandler;
  /** Set for admin buttons: the command named when someone else presses one (nothing changes). */
  admin?: string;
}

/** Card buttons, by the `verb` in their data. A "command" button stands for a typed command (router). */
export const SUBMITS: Readonly<Record<string, Submit>> = {
  'programme.create': { handler: programmes.createFromForm, admin: 'programme new' },
  'join.start': { handler: join.joinStart },
  'profile.save': { handler: join.saveProfileForm },
  'profile.edit': { handler: join.editProfile },
  'pause.confirm': { handler: join.confirmPause },
  'pause.cancel': { handler: join.cancelPause },
  'pair.approve': { handler: pairing.approveProposal, admin: 'pair' },
  'pair.rerun': { handler: pairing.rerunProposal, admin: 'pair' },
  'pair.swap': { handler: pairing.swapInProposal, admin: 'pair' },
  'pair.exclude': { handler: pairing.excludeFromProposal, admin: 'pair' },
  'checkin.submit': { handler: checkins.submitCheckinCard },
  'checkin.help': { handler: checkins.askForHelp },
  'feedback.submit': { handler: checkins.submitSurvey },
  'pulse.submit': { handler: outcomes.submitPulse },
  'start.submit': { handler: outcomes.submitStart },
  'data.forget': { handler: data.confirmForget },
  'data.forgetCancel': { handler: data.cancelForget },
};
