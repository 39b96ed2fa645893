import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import {
  quickStatementsMonolingual,
  quickStatementsString,
  quickStatementsTime,
  QuickStatementsValueError,
} from '../../src/graph/quickstatements.js';

type V1Value =
  | { type: 'item'; id: string }
  | { type: 'string'; text: string }
  | { type: 'monolingualtext'; language: string; text: string }
  | { type: 'time'; time: string; precision: number }
  | { type: 'quantity'; amount: string }
  | { type: 'coordinate'; lat: number; lon: number };

interface V1Command {
  item: string;
  property: string;
  value: V1Value;
  qualifiers: [string, V1Value][];
  references: [string, V1Value][];
}

/** Strictly parses one QuickStatements V1 value, throwing on anything else. */
function parseV1Value(raw: string): V1Value {
  if (raw !== raw.trim() || raw === '') throw new Error(`untrimmed or empty value "${raw}"`);
  if (/^(Q[1-9]\d*|LAST)$/.test(raw)) return { type: 'item', id: raw };
  let m = /^"(.*)"$/s.exec(raw);
  if (m) return { type: 'string', text: m[1] as string };
  m = /^([a-z]{2,3}(?:-[a-z0-9]+)*):"(.*)"$/s.exec(raw);
  if (m) return { type: 'monolingualtext', language: m[1] as string, text: m[2] as string };
  m = /^([+-]\d{4,}-\d\d-\d\dT00:00:00Z)\/(9|10|11)$/.exec(raw);
  if (m) return { type: 'time', time: m[1] as string, precision: Number(m[2]) };
  m = /^@(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(raw);
  if (m) return { type: 'coordinate', lat: Number(m[1]), lon: Number(m[2]) };
  if (/^[+-]?\d+(\.\d+)?$/.test(raw)) return { type: 'quantity', amount: raw };
  throw new Error(`not a V1 value: ${raw}`);
}

/** A strict QuickStatements V1 statement line: item, property, value, then (P|S)n value pairs. */
function parseV1Line(line: string): V1Command {
  if (/[\r\n]/.test(line)) throw new Error('a line break inside a command');
  if (line.includes('||')) throw new Error('"||" would be read as a line break');
  const columns = line.split('\t');
  if (columns.length < 3 || columns.length % 2 === 0) {
    throw new Error(`expected item, property, value and pairs; got ${columns.length} columns`);
  }
  const [item, property, value, ...rest] = columns as [string, string, string, ...string[]];
  if (!/^(Q[1-9]\d*|LAST)$/.test(item)) throw new Error(`bad item "${item}"`);
  if (!/^P[1-9]\d*$/.test(property)) throw new Error(`bad property "${property}"`);
  const command: V1Command = {
    item,
    property,
    value: parseV1Value(value),
    qualifiers: [],
    references: [],
  };
  let inReference = false;
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i] as string;
    const parsed = parseV1Value(rest[i + 1] as string);
    if (/^P[1-9]\d*$/.test(key)) {
      if (inReference) throw new Error('a qualifier after a reference');
      command.qualifiers.push([key, parsed]);
    } else if (/^S[1-9]\d*$/.test(key)) {
      inReference = true;
      command.references.push([key, parsed]);
    } else {
      throw new Error(`bad qualifier/reference property "${key}"`);
    }
  }
  return command;
}

function parseV1(text: string): V1Command[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      try {
        return parseV1Line(line);
      } catch (error) {
        throw new Error(
          `line ${index + 1} is not well-formed V1 (${(error as Error).message}): ${line}`,
          { cause: error },
        );
      }
    });
}

function expectReferenced(command: V1Command, url: string, retrieved: string) {
  const refs = Object.fromEntries(command.references);
  expect(refs.S854).toEqual({ type: 'string', text: url });
  expect(refs.S813).toEqual({ type: 'time', time: `+${retrieved}T00:00:00Z`, precision: 11 });
}

describe('QuickStatements V1 values', () => {
  it('keeps inner double quotes (V1 reads a string up to its last quote) and flattens tabs and newlines', () => {
    const hostile = 'Il a dit "non",\tpuis\r\nà la ligne\u2028et \'encore\' "fin"';
    const written = quickStatementsString(hostile);
    expect(written).toBe('"Il a dit "non", puis à la ligne et \'encore\' "fin""');
    expect(written).not.toMatch(/[\t\r\n\u2028]/);
    expect(parseV1Value(written)).toEqual({
      type: 'string',
      text: 'Il a dit "non", puis à la ligne et \'encore\' "fin"',
    });
    expect(quickStatementsString('  \u0000bell\u0007 \n ')).toBe('"bell"');
  });

  it('refuses what cannot be written: "||", empty and over-long text, bad language tags', () => {
    expect(() => quickStatementsString('a || b')).toThrow(QuickStatementsValueError);
    expect(() => quickStatementsString(' \t\n')).toThrow(QuickStatementsValueError);
    expect(() => quickStatementsString('x'.repeat(1501))).toThrow(/1500/);
    expect(quickStatementsString('x'.repeat(1500))).toHaveLength(1502);
    expect(() => quickStatementsMonolingual('', 'texte')).toThrow(/language/);
    expect(() => quickStatementsMonolingual('fr"', 'texte')).toThrow(/language/);
  });

  it('writes monolingual text with its language and dates with their precision', () => {
    const text = quickStatementsMonolingual('FR', 'l\'Europe "doit"\tdevenir');
    expect(text).toBe('fr:"l\'Europe "doit" devenir"');
    expect(parseV1Value(text)).toEqual({
      type: 'monolingualtext',
      language: 'fr',
      text: 'l\'Europe "doit" devenir',
    });
    expect(quickStatementsTime('2023-05-31')).toBe('+2023-05-31T00:00:00Z/11');
    expect(
      quickStatementsTime('2023-05-31T10:00:00Z', 'http://www.w3.org/2001/XMLSchema#dateTime'),
    ).toBe('+2023-05-31T00:00:00Z/11');
    expect(quickStatementsTime('2022', 'http://www.w3.org/2001/XMLSchema#gYear')).toBe(
      '+2022-00-00T00:00:00Z/9',
    );
    expect(() => quickStatementsTime('31/05/2023')).toThrow(QuickStatementsValueError);
  });

  it('the test parser itself rejects malformed lines', () => {
    expect(() => parseV1Line('Q1\tP1683\tfr:"x"\tS854')).toThrow();
    expect(() => parseV1Line('henri\tP1683\t"x"')).toThrow();
    expect(() => parseV1Line('Q1\tP1683\tx')).toThrow();
    expect(() =>
      parseV1Line('Q1\tP1683\t"x"\tS854\t"u"\tP585\t+2023-05-31T00:00:00Z/11'),
    ).toThrow();
    expect(parseV1Line('LAST\tP31\tQ5').value).toEqual({ type: 'item', id: 'Q5' });
  });
});

describe('communs-kg wikidata-export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'communs-kg-wikidata-'));
  });

  it('seed data: every line is well-formed V1, and the report says what was skipped and why', async () => {
    const result = await cli('wikidata-export');
    expect(result.code).toBe(0);
    const commands = parseV1(result.out);
    for (const command of commands) {
      expect(command.references.map(([p]) => p)).toEqual(expect.arrayContaining(['S854', 'S813']));
      if (command.property === 'P1683') expect(command.value.type).toBe('monolingualtext');
    }
    // No person is linked to Wikidata and the page records no URL: nothing can be given back yet.
    expect(commands).toHaveLength(0);
    const report = result.err;
    expect(report).toMatch(
      /^Wikidata export \(QuickStatements V1\): 0 statement\(s\) would be added\./,
    );
    expect(report).toMatch(/P1683 \(quotation\): 0 \/ 32/);
    expect(report).toMatch(
      /- P1683 \(quotation\) person\/henri-verdier → "l'Europe doit devenir.*"@fr: subject person\/henri-verdier is not linked to Wikidata/,
    );
    expect(report).toContain(
      'no reference URL: source document source/csnp-2023-page records none',
    );
    expect(report).toMatch(
      /- P710 \(participant\) event\/csnp-2023-communs-numeriques → person\/jeanne-bretecher: subject event\/csnp-2023-communs-numeriques is not linked to Wikidata/,
    );
    expect(report).toContain(
      'P1344 (participant in) is not in ../shared/wikidata/verified-ids.tsv',
    );
    expect(report).toContain('class statement derived from the ontology alignment');
    // every skipped candidate line carries at least one reason
    const skippedLines = report.split('\n').filter((line) => line.startsWith('- '));
    expect(skippedLines.length).toBeGreaterThan(500);
    for (const line of skippedLines) expect(line).toMatch(/→ .+: \S/);
  });

  it('--dry-run prints only the report; --report and --out write files', async () => {
    const dry = await cli('wikidata-export', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.err).toBe('');
    expect(dry.out).toMatch(/^Wikidata export/);
    const out = join(dir, 'seed.qs');
    const reportFile = join(dir, 'seed-report.txt');
    const written = await cli('wikidata-export', '--out', out, '--report', reportFile);
    expect(written.code).toBe(0);
    expect(written.out).toBe('');
    expect(written.err).toContain(reportFile);
    expect(await readFile(out, 'utf8')).toBe('');
    expect(await readFile(reportFile, 'utf8')).toBe(dry.out);
  });

  it('linked entities and a source URL give referenced statements with hostile text escaped', async () => {
    // Stand-in links so that statements can be produced: Q2013 (Wikidata) and Q52 (Wikipedia) are
    // verified ids (../shared/wikidata/verified-ids.tsv) reused as placeholders, not claims that
    // the speaker or the round table are those items; the fixture never reaches Wikidata.
    const fixture = join(dir, 'links.ttl');
    await writeFile(
      fixture,
      [
        '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
        '@prefix wd: <http://www.wikidata.org/entity/> .',
        '@prefix ck: <https://w3id.org/communs-kg/ontology#> .',
        '<id/person/henri-verdier> owl:sameAs wd:Q2013 .',
        '<id/event/csnp-2023-table-ronde-1> owl:sameAs wd:Q52 .',
        '<id/claim/hostile-1> a ck:Quote ; ck:claimant <id/person/henri-verdier> ;',
        '  ck:intervention <id/event/csnp-2023-intervention-henri-verdier> ;',
        '  ck:source <id/source/csnp-2023-page> ;',
        '  ck:text "Il a dit \\"non\\",\\tpuis\\nà la ligne"@fr .',
        '<id/claim/hostile-2> a ck:Quote ; ck:claimant <id/person/henri-verdier> ;',
        '  ck:source <id/source/csnp-2023-page> ; ck:text "a || b"@fr .',
        '',
      ].join('\n'),
    );
    const url = 'https://www.example.org/csnp/communs-numeriques?x="1"';
    const result = await cli(
      'wikidata-export',
      '--add-data',
      fixture,
      '--source-url',
      url,
      '--retrieved',
      '2024-02-29',
    );
    expect(result.code).toBe(0);
    const commands = parseV1(result.out);
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expectReferenced(command, url, '2024-02-29');

    const quotations = commands.filter((c) => c.property === 'P1683');
    expect(quotations.length).toBeGreaterThan(1);
    for (const quotation of quotations) {
      expect(quotation.item).toBe('Q2013');
      expect(quotation.value).toMatchObject({ type: 'monolingualtext', language: 'fr' });
      expect(quotation.qualifiers).toEqual([
        ['P585', { type: 'time', time: '+2023-05-31T00:00:00Z', precision: 11 }],
      ]);
    }
    expect(quotations.map((q) => q.value)).toContainEqual({
      type: 'monolingualtext',
      language: 'fr',
      text: 'Il a dit "non", puis à la ligne',
    });
    // participation: the round table (linked) has the speaker (linked) as participant
    expect(commands).toContainEqual(
      expect.objectContaining({
        item: 'Q52',
        property: 'P710',
        value: { type: 'item', id: 'Q2013' },
      }),
    );
    // never an item id that the graph does not link
    const items = new Set(
      commands.flatMap((c) => [c.item, ...(c.value.type === 'item' ? [c.value.id] : [])]),
    );
    expect([...items].sort()).toEqual(['Q2013', 'Q52']);

    expect(result.err).toMatch(/\n {2}P1683 \(quotation\): \d+\n/);
    expect(result.err).toContain(
      '- P1683 (quotation) person/henri-verdier → "a || b"@fr: value cannot be written: text contains "||"',
    );
  });

  it('rejects a malformed --retrieved date or --source-url', async () => {
    const bad = await cli('wikidata-export', '--retrieved', '29/02/2024');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('YYYY-MM-DD');
    const badUrl = await cli('wikidata-export', '--source-url', 'not a url');
    expect(badUrl.code).toBe(2);
  });
});
