// The company's digital knowledge map: ladder levels x departments, from self-assessments.
// Cells with fewer than PRIVACY_THRESHOLD people show no breakdown, so no one can be singled out.
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

/**
 * Builds the map from active and paused participants (people who left are not counted).
 * A level is scarce when no mentor covers it while mentees want it, or when wanting mentees
 * outnumber what the able mentors can take (`maxMenteesPerMentor` each).
 */
export function knowledgeMap(participants: Participant[], levels: Level[], maxMenteesPerMentor = 1): KnowledgeMap {
  const counted = participants.filter((p) => p.status === 'active' || p.status === 'paused');
  const departments = [...new Set(counted.map((p) => p.department))].sort((a, b) => a.localeCompare(b));
  const cells: KnowledgeCell[] = [];
  for (const department of departments) {
    const inDept = counted.filter((p) => p.department === department);
    for (const level of levels) {
      const counts: [number, number, number, number] = [0, 0, 0, 0];
      for (const p of inDept) counts[p.skills[level - 1] ?? 0]++;
      const hidden = inDept.length < PRIVACY_THRESHOLD;
      cells.push({ department, level, total: inDept.length, hidden, ...(hidden ? {} : { counts }) });
    }
  }
  const supply = levels.map((level): LevelSupply => {
    const mentorsAble = counted.filter((p) => p.role === 'mentor' && p.status === 'active' && (p.skills[level - 1] ?? 0) >= CONFIDENT).length;
    const menteesWanting = counted.filter((p) => p.role === 'mentee' && p.status === 'active' && p.wantLevels.includes(level)).length;
    const demandPerMentor = mentorsAble ? menteesWanting / mentorsAble : menteesWanting ? Infinity : 0;
    return { level, mentorsAble, menteesWanting, demandPerMentor, scarce: menteesWanting > 0 && menteesWanting > mentorsAble * maxMenteesPerMentor };
  });
  return { levels, departments, cells, supply, people: counted.length };
}
