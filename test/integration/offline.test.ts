import { DataFactory } from 'n3';
import { DataFactory as RdfDataFactory } from 'rdf-data-factory';
import { digestAuthorization, parseDigestChallenge } from '../../src/store/digest-auth.js';
import { UnwritableTermError, toNTriples } from '../../src/store/ntriples.js';
import { UnexpressibleChangeError, changesetUpdate } from '../../src/store/update-text.js';

// The parts of the remote-store client that need no server: the digest arithmetic against the
// RFCs' own examples, and the refusal of terms that could break out of a SPARQL/N-Triples text.

const { namedNode, literal, blankNode, quad } = DataFactory;

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

describe('digest authentication', () => {
  test('RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(challenge).toMatchObject({ realm: 'testrealm@host.com', qop: 'auth', algorithm: 'MD5' });
    const header = digestAuthorization(
      { user: 'Mufasa', password: 'Circle Of Life' },
      must(challenge),
      {
        method: 'GET',
        uri: '/dir/index.html',
        nonceCount: 1,
        cnonce: '0a4f113b',
      },
    );
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  test('RFC 7616 §3.9.1 example, SHA-256 and MD5', () => {
    const params =
      'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const request = {
      method: 'GET',
      uri: '/dir/index.html',
      nonceCount: 1,
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    const credentials = { user: 'Mufasa', password: 'Circle of Life' };
    const sha = must(parseDigestChallenge(`Digest ${params}, algorithm=SHA-256`));
    expect(digestAuthorization(credentials, sha, request)).toContain(
      'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"',
    );
    const md5 = must(parseDigestChallenge(`Digest ${params}, algorithm=MD5`));
    expect(digestAuthorization(credentials, md5, request)).toContain(
      'response="8ca523f5e9506fed4657c9700eebdbec"',
    );
  });

  test('challenges it cannot answer are not taken', () => {
    expect(parseDigestChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", qop="auth-int"')).toBeUndefined();
    expect(
      parseDigestChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256'),
    ).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", stale=TRUE')).toMatchObject({
      stale: true,
      qop: undefined,
    });
  });
});

describe('texts built from quads', () => {
  const g = namedNode('urn:g');
  const s = namedNode('urn:s');
  const p = namedNode('urn:p');

  test('DELETE DATA then INSERT DATA, an operation per graph, literals escaped', () => {
    const text = changesetUpdate(
      [quad(s, p, literal('a "quoted"\n} ; DROP ALL ; #', 'fr'), g)],
      [
        quad(s, p, literal('1', namedNode('http://www.w3.org/2001/XMLSchema#integer'))),
        quad(s, p, blankNode('x'), g),
      ],
    );
    expect(text).toBe(
      'DELETE DATA {\nGRAPH <urn:g> {\n<urn:s> <urn:p> "a \\"quoted\\"\\n} ; DROP ALL ; #"@fr .\n}\n} ;\n' +
        'INSERT DATA {\n<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n} ;\n' +
        'INSERT DATA {\nGRAPH <urn:g> {\n<urn:s> <urn:p> _:x .\n}\n}',
    );
  });

  test('IRIs, labels and language tags that could end their block are refused', () => {
    const evil = namedNode('urn:a> } ; DROP ALL ; INSERT DATA { <urn:b');
    expect(() => changesetUpdate([], [quad(evil, p, s, g)])).toThrow(UnwritableTermError);
    expect(() => changesetUpdate([], [quad(s, p, s, evil)])).toThrow(UnwritableTermError);
    expect(() => toNTriples([quad(s, p, literal('x', namedNode('urn:t>')))])).toThrow(
      UnwritableTermError,
    );
    // rdf-data-factory keeps the tag as given (N3's factory would re-read it from the term id).
    const rdf = new RdfDataFactory();
    const badTag = rdf.literal('x', 'en .\n<urn:x> <urn:y> "z"');
    expect(() => toNTriples([rdf.quad(s, p, badTag)])).toThrow(UnwritableTermError);
    expect(() => toNTriples([quad(blankNode('a } '), p, s)])).toThrow(UnwritableTermError);
    expect(() => changesetUpdate([quad(blankNode('b'), p, s, g)], [])).toThrow(
      UnexpressibleChangeError,
    );
  });
});
