import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFactory, type Quad } from 'n3';
import { PROJECT_ROOT } from '../paths.js';
import { graphIris, OWL, WD } from '../rdf/namespaces.js';
import { nameScore, tokens, type Reconciler } from './reconciliation.js';
import type { WikidataCandidate } from './wikidata-client.js';

const { namedNode, quad } = DataFactory;

/** Which entities the linker looks at. */
export const LINKABLE_TYPES = ['Person', 'Organisation', 'DigitalCommons', 'Place'];

export type Search = (name: string) => Promise<WikidataCandidate[]>;

export interface LinkProposal {
  entity: string;
  name: string;
  candidate: WikidataCandidate;
  score: number;
}

export interface LinkReport {
  proposals: LinkProposal[];
  /** Entities left without a proposal, and why. */
  unmatched: { entity: string; name: string; reason: string }[];
}

/**
 * Proposes Wikidata items for the entities that have none: the best search hit whose label names
 * the entity as the reconciliation service would (score ≥ minScore). Only proposes; a person
 * decides (the proposals become a pending changeset).
 */
export async function proposeLinks(
  reconciler: Reconciler,
  search: Search,
  minScore = 90,
): Promise<LinkReport> {
  const report: LinkReport = { proposals: [], unmatched: [] };
  for (const { iri, name } of await reconciler.unlinked(LINKABLE_TYPES)) {
    const hits = await search(name);
    const scored = hits
      .map((candidate) => ({ candidate, score: nameScore(tokens(name), tokens(candidate.label)) }))
      .sort((a, b) => b.score - a.score);
    const best = scored[0];
    if (!best) {
      report.unmatched.push({ entity: iri, name, reason: 'no Wikidata item found' });
    } else if (best.score < minScore) {
      report.unmatched.push({
        entity: iri,
        name,
        reason: `closest item ${best.candidate.id} "${best.candidate.label}" scores ${best.score} < ${minScore}`,
      });
    } else {
      report.proposals.push({ entity: iri, name, candidate: best.candidate, score: best.score });
    }
  }
  return report;
}

/** The owl:sameAs statements of the proposals, in the data graph. */
export function proposalQuads(baseIri: string, proposals: LinkProposal[]): Quad[] {
  const data = namedNode(graphIris(baseIri).data);
  return proposals.map((p) =>
    quad(namedNode(p.entity), namedNode(`${OWL}sameAs`), namedNode(`${WD}${p.candidate.id}`), data),
  );
}

/**
 * The offline search: the Wikidata items shipped in data/wikidata/items.tsv (verified ids only).
 * A label's parenthesis is an alias or a description ("Wiktionary (Wiktionnaire)").
 */
export async function offlineSearch(file = join(PROJECT_ROOT, 'data', 'wikidata', 'items.tsv')) {
  const items = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => /^Q\d+\t/.test(line))
    .map((line) => {
      const [id, text] = line.split('\t') as [string, string];
      const match = /^(.*?)\s*\((.*)\)\s*$/.exec(text);
      return { id, label: match?.[1] ?? text, aside: match?.[2] };
    });
  const search: Search = async (name) => {
    const wanted = tokens(name);
    return items
      .flatMap((item) =>
        [item.label, item.aside]
          .filter((label): label is string => !!label)
          .map((label) => ({
            candidate: {
              id: item.id,
              label,
              ...(item.aside && item.aside !== label ? { description: item.aside } : {}),
            },
            score: nameScore(wanted, tokens(label)),
          })),
      )
      .filter((hit) => hit.score >= 50)
      .sort((a, b) => b.score - a.score)
      .slice(0, 5)
      .map((hit) => hit.candidate);
  };
  return search;
}
