#!/usr/bin/env node
import { run } from './main.js';

const io = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

const code = await run(process.argv.slice(2), io);
if (process.argv[2] === 'serve' && code === 0) {
  // The listening server keeps the process alive until a signal asks it to stop.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      io.err(`${signal} received, stopping.\n`);
      process.exit(0);
    });
  }
} else {
  process.exitCode = code;
}
