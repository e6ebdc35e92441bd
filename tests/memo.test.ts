// The short-lived read cache the dispatcher and the tab API keep: an expired cohort is renewed
// behind the sending (workers keep going with the last read), never given past one re-read.
import { Memo } from '../bot/storage/memo';

describe('Memo.getRenewing', () => {
  let now = 0;
  const clock = () => now;
  const settle = () => new Promise(setImmediate);
  const deferred = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };

  it('gives the expired value at once while one read replaces it, then the new value', async () => {
    const memo = new Memo<string>(1000, clock);
    let reads = 0;
    expect(await memo.getRenewing('k', async () => `v${++reads}`)).toBe('v1');
    now = 1500; // expired
    const slow = deferred<string>();
    const load = () => (reads++, slow.promise);
    // Many callers at once: all answered with the last read, one read started.
    expect(await Promise.all([memo.getRenewing('k', load), memo.getRenewing('k', load), memo.getRenewing('k', load)])).toEqual(['v1', 'v1', 'v1']);
    expect(reads).toBe(2);
    slow.resolve('v2');
    await settle();
    expect(await memo.getRenewing('k', async () => 'never')).toBe('v2');
  });

  it('a failed re-read keeps the last value and is tried again by the next caller', async () => {
    const memo = new Memo<string>(1000, clock);
    now = 0;
    await memo.getRenewing('k', async () => 'old');
    now = 2000;
    const failing = deferred<string>();
    expect(await memo.getRenewing('k', () => failing.promise)).toBe('old');
    failing.reject(new Error('storage down'));
    await settle();
    expect(await memo.getRenewing('k', async () => 'new')).toBe('old');
    await settle();
    expect(await memo.getRenewing('k', async () => 'newer')).toBe('new');
  });

  it('a first read that has not answered is shared, not renewed; a moved version reads again', async () => {
    const memo = new Memo<string>(1000, clock);
    now = 0;
    const first = deferred<string>();
    let reads = 0;
    const a = memo.getRenewing('k', () => (reads++, first.promise));
    now = 5000;
    const b = memo.getRenewing('k', () => (reads++, Promise.resolve('other')));
    first.resolve('v1');
    expect(await a).toBe('v1');
    expect(await b).toBe('other'); // expired and unanswered: read like get()
    expect(await memo.getRenewing('k', async () => 'v9', 1)).toBe('v9');
  });
});
