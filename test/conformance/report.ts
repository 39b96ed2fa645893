/** Tallies outcomes per category and prints them, the failures, and the final `N passed, M failed`. */
import type { TestCase } from './manifest.js';

export type Status = 'passed' | 'failed' | 'skipped';

export interface Outcome {
  test: TestCase;
  status: Status;
  reason?: string;
  ms: number;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(outcomes: readonly Outcome[]): Totals {
  const count = (status: Status) => outcomes.filter((outcome) => outcome.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** Prints everything but the final tally line, which the caller prints last. */
export function printReport(outcomes: readonly Outcome[], write: (line: string) => void): Totals {
  const categories = [...new Set(outcomes.map((outcome) => outcome.test.category))];
  for (const category of categories) {
    const { passed, failed, skipped } = totals(
      outcomes.filter((outcome) => outcome.test.category === category),
    );
    write(`${category}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
  const failures = outcomes.filter((outcome) => outcome.status === 'failed');
  if (failures.length > 0) {
    write('');
    write('Failures:');
    for (const { test, reason } of failures) write(`  ${test.iri} — ${reason ?? 'failed'}`);
  }
  const skips = new Map<string, number>();
  for (const outcome of outcomes) {
    if (outcome.status === 'skipped')
      skips.set(outcome.reason ?? '', (skips.get(outcome.reason ?? '') ?? 0) + 1);
  }
  if (skips.size > 0) {
    write('');
    write('Skipped:');
    for (const [reason, count] of skips) write(`  ${count} × ${reason}`);
  }
  write('');
  return totals(outcomes);
}

export function tallyLine({ passed, failed, skipped }: Totals): string {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
