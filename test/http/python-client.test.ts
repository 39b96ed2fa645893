import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningServer } from '../../src/http/server.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { startTestServer } from '../helpers/server.js';

const run = promisify(execFile);
// Debian's python3 sees Debian's python3-sparqlwrapper; a pyenv python3 on PATH does not.
const PYTHON = '/usr/bin/python3';

async function sparqlWrapperInstalled(): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  return run(PYTHON, ['-c', 'import SPARQLWrapper']).then(
    () => true,
    () => false,
  );
}

const available = await sparqlWrapperInstalled();
if (!available && process.env.CI) {
  throw new Error('CI must install python3-sparqlwrapper (see .ci/run) for the Python client test');
}
if (!available) {
  console.warn(
    'Skipping the Python client test: /usr/bin/python3 with python3-sparqlwrapper is not installed ' +
      '(.ci/run installs it with apt-get).',
  );
}

(available ? describe : describe.skip)(
  'a real client: the README Python example (SPARQLWrapper)',
  () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server.close());

    it('runs against the server and prints the claims per speaker', async () => {
      const { stdout } = await run(PYTHON, [
        join(PROJECT_ROOT, 'examples', 'sparqlwrapper_example.py'),
        `${server.url}/sparql`,
      ]);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe('Jean Cattan\t16');
      expect(lines).toHaveLength(10);
      expect(lines[9]).toMatch(/^quotes of Pierre Slamich as Turtle: \d+ bytes$/);
    });
  },
);
