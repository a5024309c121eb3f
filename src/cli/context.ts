// What a command reads and writes: stdout, stderr, stdin, the environment and the clock.

/** The outside world of one CLI run; {@link processContext} gives the real one. */
export interface CliContext {
  /** Writes to stdout: data only (a token, a table, JSON). */
  readonly out: (text: string) => void;
  /** Writes to stderr: details, notes and errors. */
  readonly err: (text: string) => void;
  /** Where `token hash` reads the token. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The environment (`AUTH_KEYS_FILE`, and the server's settings for `config check`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The current time in epoch ms. */
  readonly now: () => number;
}

/** The context of the running process. A closed stdout or stderr (`| head`) ends output quietly. */
export function processContext(): CliContext {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
    now: () => Date.now(),
  };
}
