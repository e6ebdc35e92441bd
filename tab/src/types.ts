// The API's answers, as the server declares them (bot/contract/tabApi.ts): one contract, so a
// change on either side that the other does not follow fails the type check.
export type {
  AppConfig, CatalogueAnswer, CatalogueVersionUnknown, ChangeRow, Dashboard, HistoryEntry, ItemOutcome, KnowledgeMoment, LadderStatus, Learned, Level, LocalUser, Me,
  MenteeLadder, MenteeSummary, MyProgress, OutcomeReport, PairRow, PersonalLadder, ProgrammeListItem, ProgrammeOverview, SurveyOutcome, TutorialStatus,
} from '../../bot/contract/tabApi';
export type { MySessions, PairSessions, SessionPerson, SessionSlots, SessionTime } from '../../bot/contract/tabApi';
export type { KnowledgeMapView as KnowledgeMap, LadderView as Ladder, TutorialView as Tutorial } from '../../bot/contract/tabApi';
