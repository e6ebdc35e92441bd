// What the benchmarks read about their processes from /proc (Linux; undefined elsewhere).
import * as fs from 'fs';

/** CPU time (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** The process whose command line names this port (Azurite's table service). */
export function pidListeningOn(port: number): number | undefined {
  try {
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('table/main.js')) && cmd.includes(String(port))) return Number(d);
    }
  } catch {
    /* not Linux */
  }
  return undefined;
}
