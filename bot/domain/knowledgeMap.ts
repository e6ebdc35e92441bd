// The company's digital knowledge map: ladder levels x departments, from self-assessments.
// Cells with fewer than PRIVACY_THRESHOLD people other than the viewer show no breakdown, so no one
// can be singled out (a viewer who knows their own answer could otherwise subtract it).
import type { Level, Participant } from './types';
import { CONFIDENT } from './types';

export const PRIVACY_THRESHOLD = 3;

export interface KnowledgeCell {
  department: string;
  level: Level;
  /** People in the cell (always shown). */
  total: number;
  /** Counts by self-assessment [none, basic, confident, can teach]; absent below the threshold. */
  counts?: [number, number, number, number];
  hidden: boolean;
}

export interface LevelSupply {
  level: Level;
  /** Fewer than the threshold of mentors or mentees other than the viewer: the counts are withheld (0). */
  hidden: boolean;
  /** Active mentors confident or better on the level. */
  mentorsAble: number;
  /** Active mentees who want to learn the level. */
  menteesWanting: number;
  /** Mentees wanting it per able mentor; Infinity when no mentor can teach it. */
  demandPerMentor: number;
  scarce: boolean;
}

export interface KnowledgeMap {
  levels: Level[];
  departments: string[];
  cells: KnowledgeCell[];
  supply: LevelSupply[];
  people: number;
}

/** Enough people other than the viewer stand behind an aggregate for it to be shown. */
export function enoughOthers(people: Array<{ userId: string }>, viewerId?: string): boolean {
  return people.filter((p) => p.userId !== viewerId).length >= PRIVACY_THRESHOLD;
}

/**
 * Builds the map from active and paused participants (people who left are not counted), as
 * `viewerId` may see it. A level is scarce when no mentor covers it while mentees want it, or when
 * wanting mentees outnumber what the able mentors can take (`maxMenteesPerMentor` each).
 */
export function knowledgeMap(participants: Participant[], levels: Level[], maxMenteesPerMentor = 1, viewerId?: string): KnowledgeMap {
  const counted = participants.filter((p) => p.status === 'active' || p.status === 'paused');
  const departments = [...new Set(counted.map((p) => p.department))].sort((a, b) => a.localeCompare(b));
  const cells: KnowledgeCell[] = [];
  for (const department of departments) {
    const inDept = counted.filter((p) => p.department === department);
    for (const level of levels) {
      const counts: [number, number, number, number] = [0, 0, 0, 0];
      for (const p of inDept) counts[p.skills[level - 1] ?? 0]++;
      const hidden = !enoughOthers(inDept, viewerId);
      cells.push({ department, level, total: inDept.length, hidden, ...(hidden ? {} : { counts }) });
    }
  }
  const mentors = counted.filter((p) => p.role === 'mentor' && p.status === 'active');
  const mentees = counted.filter((p) => p.role === 'mentee' && p.status === 'active');
  const supplyHidden = !enoughOthers(mentors, viewerId) || !enoughOthers(mentees, viewerId);
  const supply = levels.map((level): LevelSupply => {
    if (supplyHidden) return { level, hidden: true, mentorsAble: 0, menteesWanting: 0, demandPerMentor: 0, scarce: false };
    const mentorsAble = mentors.filter((p) => (p.skills[level - 1] ?? 0) >= CONFIDENT).length;
    const menteesWanting = mentees.filter((p) => p.wantLevels.includes(level)).length;
    const demandPerMentor = mentorsAble ? menteesWanting / mentorsAble : menteesWanting ? Infinity : 0;
    return { level, hidden: false, mentorsAble, menteesWanting, demandPerMentor, scarce: menteesWanting > 0 && menteesWanting > mentorsAble * maxMenteesPerMentor };
  });
  return { levels, departments, cells, supply, people: counted.length };
}
