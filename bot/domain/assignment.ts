// Minimum-cost assignment of every row to a column, column j taking up to capacity[j]
// rows. Shortest augmenting paths with potentials (Jonker-Volgenant; the variant of Crouse 2016
// that scipy's linear_sum_assignment implements), generalised to capacities: when the search
// reaches a full column it continues from all rows assigned there, so mentors need not be
// expanded into one column per slot. Exact for integer costs. Worst case O(rows^2 x cols).

/**
 * @param cost row-major nRows x nCols; Infinity forbids an edge.
 * @param capacity rows each column may take; default 1 (the classic rectangular problem).
 * @returns the column of each row.
 * @throws when no assignment of every row exists.
 */
export function solveAssignment(cost: Float64Array, nRows: number, nCols: number, capacity?: ArrayLike<number>): Int32Array {
  if (cost.length !== nRows * nCols) throw new Error(`cost has ${cost.length} entries, expected ${nRows}x${nCols}`);
  const cap = capacity ? Int32Array.from(capacity) : new Int32Array(nCols).fill(1);
  const u = new Float64Array(nRows); // row potentials
  const v = new Float64Array(nCols); // column potentials; stay 0 while a column has room
  const colOf = new Int32Array(nRows).fill(-1);
  // Rows of each column as doubly linked lists (a row is in at most one list).
  const load = new Int32Array(nCols);
  const head = new Int32Array(nCols).fill(-1);
  const next = new Int32Array(nRows).fill(-1);
  const prev = new Int32Array(nRows).fill(-1);

  const attach = (i: number, j: number): void => {
    next[i] = head[j];
    prev[i] = -1;
    if (head[j] >= 0) prev[head[j]] = i;
    head[j] = i;
    load[j]++;
    colOf[i] = j;
  };
  const detach = (i: number): void => {
    const j = colOf[i];
    if (prev[i] >= 0) next[prev[i]] = next[i];
    else head[j] = next[i];
    if (next[i] >= 0) prev[next[i]] = prev[i];
    load[j]--;
    colOf[i] = -1;
  };

  // Start: each row's potential is its cheapest edge, and a row takes that edge at once when
  // the column still has room. Potentials stay feasible and these edges tight, so the searches
  // below only resolve conflicts.
  for (let i = 0; i < nRows; i++) {
    const off = i * nCols;
    let min = Infinity;
    let best = -1;
    for (let j = 0; j < nCols; j++) {
      const c = cost[off + j];
      if (c < min) {
        min = c;
        best = load[j] < cap[j] ? j : -1;
      } else if (c === min && best < 0 && load[j] < cap[j]) best = j;
    }
    if (min === Infinity) throw new Error(`row ${i} has no allowed column`);
    u[i] = min;
    if (best >= 0) attach(i, best);
  }

  const shortest = new Float64Array(nCols);
  const path = new Int32Array(nCols);
  const remaining = new Int32Array(nCols);
  const scannedRows = new Int32Array(nRows);
  const scannedCols = new Int32Array(nCols);
  const pending = new Int32Array(nRows);

  for (let cur = 0; cur < nRows; cur++) {
    if (colOf[cur] >= 0) continue;
    // Dijkstra over columns, from row `cur`, on reduced costs cost - u - v (>= 0 on the
    // rows already assigned), until it reaches a column with room.
    let numRemaining = nCols;
    for (let k = 0; k < nCols; k++) {
      remaining[k] = nCols - 1 - k;
      shortest[k] = Infinity;
    }
    let nSR = 0;
    let nSC = 0;
    let minVal = 0;
    let sink = -1;
    pending[0] = cur;
    let nPending = 1;
    while (sink < 0) {
      let lowest = Infinity;
      let index = -1;
      for (let p = 0; p < nPending; p++) {
        const i = pending[p];
        scannedRows[nSR++] = i;
        const base = minVal - u[i];
        const off = i * nCols;
        // Only the last pending row's minimum counts: by then every distance is final.
        lowest = Infinity;
        index = -1;
        for (let k = 0; k < numRemaining; k++) {
          const j = remaining[k];
          const r = base + cost[off + j] - v[j];
          if (r < shortest[j]) {
            path[j] = i;
            shortest[j] = r;
          }
          const s = shortest[j];
          // On ties prefer a column with room: the search ends there.
          if (s < lowest || (s === lowest && load[j] < cap[j])) {
            lowest = s;
            index = k;
          }
        }
      }
      if (index < 0 || lowest === Infinity) throw new Error(`no assignment of every row exists (row ${cur})`);
      minVal = lowest;
      const j = remaining[index];
      scannedCols[nSC++] = j;
      remaining[index] = remaining[--numRemaining];
      if (load[j] < cap[j]) sink = j;
      else {
        // A full column: its rows are reached at the same distance (their edges are tight).
        nPending = 0;
        for (let i = head[j]; i >= 0; i = next[i]) pending[nPending++] = i;
      }
    }

    // Potentials: keep reduced costs >= 0 and assigned edges (and the new path) tight.
    u[cur] += minVal;
    for (let s = 1; s < nSR; s++) {
      const i = scannedRows[s];
      u[i] += minVal - shortest[colOf[i]];
    }
    for (let s = 0; s < nSC; s++) {
      const j = scannedCols[s];
      v[j] -= minVal - shortest[j];
    }

    // Augment: each row on the path moves to the column the path reached it by.
    for (let j = sink; ; ) {
      const i = path[j];
      const from = colOf[i];
      if (from >= 0) detach(i);
      attach(i, j);
      if (i === cur) break;
      j = from;
    }
  }
  return colOf;
}
