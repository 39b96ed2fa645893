import { canonicalInstant } from '../../src/graph/history.js';
import { LiteralFidelity } from '../../src/sparql/literal-fidelity.js';

// History and gardening write instants from Date#toISOString, whose milliseconds may end in
// zeros. Written as they are, one timestamp in ten was a literal Oxigraph stores in another form,
// which sends every later query through Comunica (docs/reliability.md).

describe('instants in the history graph', () => {
  test.each([
    ['2026-11-30T21:11:50.420Z', '2026-11-30T21:11:50.42Z'],
    ['2026-11-30T21:11:50.400Z', '2026-11-30T21:11:50.4Z'],
    ['2026-11-30T21:11:50.000Z', '2026-11-30T21:11:50Z'],
    ['2026-11-30T21:11:50.123Z', '2026-11-30T21:11:50.123Z'],
    ['2026-11-30T21:11:50Z', '2026-11-30T21:11:50Z'],
  ])('%s is written %s', (iso, canonical) => {
    expect(canonicalInstant(iso).value).toBe(canonical);
  });

  test('Oxigraph gives every millisecond of a second back as written', () => {
    const line = (value: string) =>
      `<urn:x:s> <urn:x:p> "${value}"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`;
    const fidelity = new LiteralFidelity();
    // What was written before: Oxigraph rewrites it.
    expect(fidelity.altered([line('2026-11-30T21:11:50.420Z')])).toEqual([true]);
    const lines = Array.from({ length: 1000 }, (_, ms) =>
      line(canonicalInstant(new Date(Date.UTC(2026, 10, 30, 21, 11, 50, ms)).toISOString()).value),
    );
    const altered = fidelity.altered(lines);
    expect(lines.filter((_line, i) => altered[i])).toEqual([]);
  });
});
