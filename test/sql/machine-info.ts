import { cpus, loadavg, totalmem } from 'node:os';

/** One line about the machine a benchmark ran on: CPU model and count, memory, load average, Node. */
export function machineInfo(): string {
  const cores = cpus();
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  return `machine: ${cores[0]?.model ?? 'unknown CPU'} × ${cores.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${load}, Node ${process.version}`;
}
