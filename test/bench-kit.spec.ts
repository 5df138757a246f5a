import { describe, expect, it } from 'vitest';
import {
  arrivalsWithin,
  Figures,
  idleSettled,
  intendedSendTime,
  latencyFromIntended,
  listenerOf,
  listeningSocketInodes,
  lostDuring,
  machineBusyTicks,
  median,
  medianTable,
  openLoop,
  openLoopLines,
  type ProcStat,
  parseOptions,
  parseProcStat,
  readTrees,
  sendLag,
  treeTicks,
  type WatchedProcess,
} from '../bench/bench-kit.js';

describe('bench figures over several runs', () => {
  it('takes the middle value, the mean of the middle two for an even count, and ignores what is not a number', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
    expect(median([Number.NaN, 5, 1, Number.POSITIVE_INFINITY, 3])).toBe(3);
  });

  it('prints each figure with every run and its median, a run without it shown as -', () => {
    const runs = [new Figures(), new Figures(), new Figures()];
    for (const [index, figures] of runs.entries()) figures.add('orders placed [closed loop] (/s)', [120, 100, 140][index]);
    runs[0].add('HTTP answer p99 (ms)', 40.5);
    runs[2].add('HTTP answer p99 (ms)', 60.5);
    runs[1].add('not a figure', Number.NaN);
    const table = medianTable(runs);
    expect(table).toHaveLength(3);
    expect(table[1].split(/\s{2,}/).slice(1)).toEqual(['120', '100', '140', '120']);
    expect(table[2].split(/\s{2,}/).slice(1)).toEqual(['40.50', '-', '60.50', '50.50']);
  });
});

describe('bench options', () => {
  it('takes --rate for place, checkout and webhooks, --runs for any mode, and refuses --rate for flash', () => {
    expect(parseOptions(['place', '--rate', '300', '--runs', '3'])).toMatchObject({ mode: 'place', rate: 300, runs: 3 });
    const closed = parseOptions(['checkout']);
    expect(closed.rate).toBeUndefined();
    expect(closed.runs).toBe(1);
    expect(() => parseOptions(['flash', '--rate', '100'])).toThrow(/flash has no open loop/);
    expect(() => parseOptions(['place', '--rate', '0'])).toThrow(/above 0/);
    expect(() => parseOptions(['place', '--runs', 'three'])).toThrow(/above 0/);
  });
});

describe('the open loop', () => {
  it('spaces arrivals 1/rate apart and counts those meant to leave within the duration', () => {
    expect(intendedSendTime(1_000, 0, 250)).toBe(1_000);
    expect(intendedSendTime(1_000, 5, 250)).toBe(1_020);
    expect(arrivalsWithin(300, 30)).toBe(9_000);
    // 0.1 × 30 is 3.0000000000000004 in floating point: still three arrivals, not four.
    expect(arrivalsWithin(0.1, 30)).toBe(3);
    // At 0.5/s over 3 s: at 0 s and 2 s.
    expect(arrivalsWithin(0.5, 3)).toBe(2);
  });

  it('counts latency from the intended send time, so waiting behind a slow answer is not hidden', () => {
    const arrival = { intendedAt: 100, startedAt: 180, answeredAt: 200 };
    expect(latencyFromIntended(arrival)).toBe(100);
    expect(arrival.answeredAt - arrival.startedAt).toBe(20);
    expect(sendLag(arrival)).toBe(80);
    expect(sendLag({ intendedAt: 100, startedAt: 99.5 })).toBe(0);
  });

  it('sends on schedule whatever the answers when the cap is not reached', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const run = await openLoop({ rate: 100, durationSeconds: 0.2, maxInFlight: 50 }, async (index) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight -= 1;
      return index;
    });
    expect(run.scheduled).toBe(20);
    expect(run.dropped).toBe(0);
    expect(run.arrivals).toHaveLength(20);
    // Sent while others were out (10 ms apart, 30 ms each), not one after another's answer. No
    // bound on the run's time: a busy test machine may stretch any timer.
    expect(mostInFlight).toBeGreaterThan(1);
    const byIndex = [...run.arrivals].sort((a, b) => a.index - b.index);
    expect(byIndex.every((arrival) => !arrival.waitedForSlot)).toBe(true);
    expect(byIndex.every((arrival) => arrival.result === arrival.index)).toBe(true);
  });

  it('counts a send that throws or rejects as a failure and goes on', async () => {
    // Every send settles before the next is due, so with a cap of 2 nothing waits unless a
    // failed one stays counted as out.
    const run = await openLoop({ rate: 200, durationSeconds: 0.1, maxInFlight: 2 }, (index) => {
      if (index === 3) throw new Error('thrown at once');
      if (index % 2 === 1) return Promise.reject(new Error('connection reset'));
      return Promise.resolve(index);
    });
    expect(run.scheduled).toBe(20);
    expect(run.dropped).toBe(0);
    expect(run.arrivals).toHaveLength(10);
    expect([...run.arrivals, ...run.failures].every((arrival) => !arrival.waitedForSlot)).toBe(true);
    expect(run.failures.map((failure) => failure.index).sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(run.failures.find((failure) => failure.index === 3)?.error).toBe('thrown at once');
    expect(run.failures.filter((failure) => failure.error === 'connection reset')).toHaveLength(9);
    expect(run.arrivals.every((arrival) => arrival.index % 2 === 0 && arrival.result === arrival.index)).toBe(true);
    const figures = new Figures();
    const lines = openLoopLines(run, { rate: 200, maxInFlight: 2 }, figures);
    expect(lines.join('\n')).toMatch(/failed \(the send threw, no answer\): 10: .*connection reset ×9/);
    expect(figures.values.get('open loop: failed (count)')).toBe(10);
  });

  it('holds an arrival back while the cap is full, counts its wait in its latency, and drops what is still held at the end', async () => {
    // 2 out at once, 60 ms each: about 33/s get through of the 100/s scheduled.
    const run = await openLoop({ rate: 100, durationSeconds: 0.3, maxInFlight: 2 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
    });
    expect(run.scheduled).toBe(30);
    expect(run.dropped).toBeGreaterThan(5);
    expect(run.arrivals.length + run.dropped).toBe(30);
    const held = run.arrivals.filter((arrival) => arrival.waitedForSlot);
    expect(held.length).toBeGreaterThan(0);
    for (const arrival of held) {
      expect(arrival.startedAt - arrival.intendedAt).toBeGreaterThan(5);
      expect(latencyFromIntended(arrival)).toBeGreaterThan(arrival.answeredAt - arrival.startedAt + 5);
    }
  });

  it('sends no more than a finite set of requests holds', async () => {
    const run = await openLoop({ rate: 1_000, durationSeconds: 1, maxInFlight: 4, limit: 7 }, async () => undefined);
    expect(run.scheduled).toBe(7);
    expect(run.arrivals).toHaveLength(7);
  });
});

describe('CPU from /proc', () => {
  it('reads a process stat line whose command name holds spaces and parentheses', () => {
    // Fields 1–22 of proc(5): pid (comm) state ppid … utime stime cutime cstime … starttime …
    const line =
      '4242 (node (worker) x) S 17 4242 4242 0 -1 4194560 9041 0 0 0 1234 567 89 10 20 0 11 0 98765 1451520000 40000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 17, utime: 1234, stime: 567, cutime: 89, cstime: 10, starttime: 98765 });
  });

  it('adds to a process the CPU of its live children and of those that exited, and nothing of other processes', () => {
    const postmaster = { pid: 100, ppid: 1, utime: 50, stime: 20, cutime: 300, cstime: 30, starttime: 1 };
    const backend = { pid: 101, ppid: 100, utime: 40, stime: 10, cutime: 0, cstime: 0, starttime: 2 };
    const walWriter = { pid: 102, ppid: 100, utime: 1, stime: 2, cutime: 0, cstime: 0, starttime: 2 };
    const stranger = { pid: 200, ppid: 1, utime: 999, stime: 999, cutime: 0, cstime: 0, starttime: 3 };
    expect(treeTicks(postmaster, [postmaster, backend, walWriter, stranger])).toBe(50 + 20 + 300 + 30 + 40 + 10 + 1 + 2);
  });

  it('reads a tree again when a child was reaped during the scan, so it is neither lost nor counted twice', () => {
    const stat = (pid: number, ppid: number, ticks: number, cutime = 0): ProcStat => ({
      pid,
      ppid,
      utime: ticks,
      stime: 0,
      cutime,
      cstime: 0,
      starttime: 1,
    });
    const walWriter = stat(102, 100, 3);
    // Attempt 1: the root reads 300 reaped; a backend (pid 90, 40 ticks) is in the scan, and is
    // reaped before the root is read again (double counted if taken); attempt 2: the backend of
    // pid 101 (50 ticks) is reaped between the root's reading and the scan (lost if taken).
    // Attempt 3 reads steady.
    const roots = [stat(100, 1, 70, 300), stat(100, 1, 70, 340), stat(100, 1, 70, 340), stat(100, 1, 70, 390), stat(100, 1, 70, 390)];
    roots.push(roots[4]);
    const scans = [
      [stat(90, 100, 40), roots[0], stat(101, 100, 50), walWriter],
      [roots[2], walWriter],
      [roots[4], walWriter],
    ];
    const trees = readTrees([100, 555], { stat: (pid) => (pid === 100 ? roots.shift() : undefined), all: () => scans.shift() ?? [] });
    expect(trees.get(100)?.ticks).toBe(70 + 390 + 3);
    expect(trees.has(555)).toBe(false);
    expect(scans).toHaveLength(0);
  });

  it('gives up reading a tree again after a few tries and keeps the last reading', () => {
    let reaped = 0;
    let reads = 0;
    const trees = readTrees(
      [100],
      {
        stat: () => {
          reads += 1;
          reaped += 10;
          return { pid: 100, ppid: 1, utime: 5, stime: 0, cutime: reaped, cstime: 0, starttime: 1 };
        },
        all: () => [],
      },
      3,
    );
    expect(reads).toBe(6);
    expect(trees.get(100)?.ticks).toBe(5 + 60);
  });

  it('takes the process that opened a listening socket, not a child that inherited it, whichever pid is lower', () => {
    const parents = new Map([
      [100, 1],
      [150, 100],
      [40, 100],
      [300, 1],
    ]);
    const ppidOf = (pid: number): number | undefined => parents.get(pid);
    const socket = 'socket:[31337]';
    expect(
      listenerOf(
        [
          { pid: 150, socket },
          { pid: 100, socket },
          { pid: 40, socket },
        ],
        ppidOf,
      ),
    ).toBe(100);
    // A child holding a socket of its own (not its parent's) opened it itself.
    expect(
      listenerOf(
        [
          { pid: 100, socket },
          { pid: 150, socket: 'socket:[4444]' },
        ],
        ppidOf,
      ),
    ).toBe(100);
    expect(listenerOf([{ pid: 150, socket: 'socket:[4444]' }], ppidOf)).toBe(150);
    expect(
      listenerOf(
        [
          { pid: 300, socket },
          { pid: 100, socket: 'socket:[4444]' },
        ],
        ppidOf,
      ),
    ).toBe(100);
    expect(listenerOf([], ppidOf)).toBeUndefined();
  });

  it('names the watched processes a window has no reading of at either end', () => {
    const watched: WatchedProcess[] = [
      { name: 'orders', pid: 10, starttime: 1, kind: 'service' },
      { name: 'gateway', pid: 11, starttime: 1, kind: 'service' },
      { name: 'PostgreSQL', pid: 12, starttime: 1, kind: 'postgres' },
    ];
    const before = {
      seconds: new Map([
        ['orders', 1],
        ['gateway', 2],
      ]),
    };
    const after = {
      seconds: new Map([
        ['orders', 3],
        ['PostgreSQL', 4],
      ]),
    };
    expect(lostDuring(watched, before, after).map((proc) => proc.name)).toEqual(['gateway', 'PostgreSQL']);
    expect(lostDuring(watched, after, after).map((proc) => proc.name)).toEqual(['gateway']);
  });

  it('takes the idle CPU as settled once the last three windows agree, not while the suite winds down', () => {
    expect(idleSettled([0.9, 0.4])).toBe(false);
    expect(idleSettled([0.9, 0.4, 0.1])).toBe(false);
    expect(idleSettled([0.9, 0.4, 0.1, 0.06, 0.08])).toBe(true);
    expect(idleSettled([0.05, 0.06, 0.04])).toBe(true);
    expect(idleSettled([1.0, 1.1, 0.95])).toBe(true);
    expect(idleSettled([0.1, 0.3, 0.1])).toBe(false);
  });

  it('finds the socket inode listening on a port, in IPv4 and IPv6 tables, and not connected sockets on it', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 31337 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 100 0 0 10 0',
      '   2: 0100007F:1538 0100007F:D0F2 01 00000000:00000000 00:00000000 00000000   106        0 5555 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect(listeningSocketInodes(tcp, 5432)).toEqual(['31337']);
    expect(listeningSocketInodes(tcp, 3000)).toEqual(['4444']);
    expect(listeningSocketInodes(tcp, 9092)).toEqual([]);
    const tcp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect(listeningSocketInodes(tcp6, 9092)).toEqual(['7777']);
  });

  it('counts the machine busy when not idle nor waiting for I/O', () => {
    const stat = 'cpu  84822 5 28319 105353 635 7 3026 11 0 0\ncpu0 42135 0 13224 54340 55 0 1411 0 0 0\n';
    expect(machineBusyTicks(stat)).toBe(84822 + 5 + 28319 + 7 + 3026 + 11);
  });
});
