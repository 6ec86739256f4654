// wrk as a child process with a hard time limit, and its --latency report parsed. Spawned asynchronously: the
// OTLP receiver lives in this process and has to keep answering while wrk runs.
import { spawn } from 'node:child_process';

export type WrkResult = {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: number;
  raw: string;
};

const UNIT_MS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
};

function toMs(value: string): number {
  const m = value.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) return NaN;
  return Number(m[1]) * UNIT_MS[m[2]];
}

export function parseWrk(raw: string): WrkResult {
  const percentile = (p: string) => {
    const m = raw.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'));
    return m ? toMs(m[1]) : NaN;
  };
  const requests = raw.match(/^\s+(\d+) requests in/m);
  const rps = raw.match(/^Requests\/sec:\s+([\d.]+)/m);
  const non2xx = raw.match(/Non-2xx or 3xx responses:\s+(\d+)/);
  const socket = raw.match(
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/,
  );
  return {
    requestsPerSecond: rps ? Number(rps[1]) : NaN,
    requests: requests ? Number(requests[1]) : NaN,
    p50Ms: percentile('50'),
    p90Ms: percentile('90'),
    p99Ms: percentile('99'),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket
      ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0)
      : 0,
    raw,
  };
}

/** `wrk -t<threads> -c<connections> -d<seconds>s --latency <url>`; killed if it overruns by 20 s. */
export async function runWrk(
  url: string,
  options: { threads?: number; connections?: number; seconds: number },
): Promise<WrkResult> {
  const args = [
    `-t${options.threads ?? 1}`,
    `-c${options.connections ?? 16}`,
    `-d${options.seconds}s`,
    '--latency',
    url,
  ];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  const timer = setTimeout(
    () => child.kill('SIGKILL'),
    (options.seconds + 20) * 1000,
  );
  // 'close', not 'exit': stdout may still hold data when the process exits.
  const code = await new Promise<number | null>(done =>
    child.once('close', c => done(c)),
  );
  clearTimeout(timer);
  if (code !== 0) {
    throw new Error(`wrk ${args.join(' ')} exited with ${code}:\n${output}`);
  }
  return parseWrk(output);
}
