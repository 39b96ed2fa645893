import type { Settings } from '../config/settings.js';
import { Accounts, hasRole } from '../graph/accounts.js';
import { ChangesetError, Changesets } from '../graph/changesets.js';
import { embeddedDataset } from '../graph/embedded-keeping.js';
import {
  offlineSearch,
  proposalQuads,
  proposeLinks,
  type LinkReport,
  type Search,
} from '../graph/linking.js';
import { projectSources } from '../graph/loader.js';
import { openProjectGraph } from '../graph/open.js';
import { Reconciler } from '../graph/reconciliation.js';
import { OWL } from '../rdf/namespaces.js';
import { formatViolation } from '../graph/validation.js';
import { WikidataClient, WikidataUnavailableError } from '../graph/wikidata-client.js';
import { SparqlEngine } from '../sparql/engine.js';
import { UsageError, type Output } from './commands.js';

export interface LinkOptions {
  /** The contributor the proposals are submitted as. */
  as?: string;
  offline: boolean;
  /** The Wikidata Action API to ask (a stand-in in tests). */
  api?: string;
  minScore?: number;
  /** Least time between two requests to Wikidata, in ms. */
  intervalMs?: number;
}

function describe(report: LinkReport): string {
  const lines = report.proposals.map(
    (p) =>
      `+ <${p.entity}> "${p.name}" → wd:${p.candidate.id} "${p.candidate.label}"` +
      `${p.candidate.description ? ` (${p.candidate.description})` : ''}, score ${p.score}`,
  );
  const left = report.unmatched.map((u) => `- <${u.entity}> "${u.name}": ${u.reason}`);
  return [...lines, ...left].join('\n');
}

/**
 * `communs-kg link`: proposes Wikidata items for the entities that have none, online
 * (wbsearchentities, politely) or offline (data/wikidata/items.tsv), and submits the proposals
 * as one pending changeset for a moderator to review. Nothing is linked automatically.
 */
export async function linkCommand(
  settings: Settings,
  options: LinkOptions,
  io: Output,
): Promise<number> {
  if (!options.as) throw new UsageError('link needs --as USER: the contributor who proposes');
  const graph = await openProjectGraph(settings.dataDir, settings.baseIri, await projectSources());
  try {
    const accounts = new Accounts(graph.db);
    const user = accounts.findUser(options.as);
    if (!user || !hasRole(user, 'contributor')) {
      io.err(`No contributor "${options.as}" in ${settings.dataDir} (communs-kg user add).\n`);
      return 1;
    }
    const search: Search = options.offline
      ? await offlineSearch()
      : (() => {
          const client = new WikidataClient({
            ...(options.api ? { apiUrl: options.api } : {}),
            ...(options.intervalMs !== undefined ? { minIntervalMs: options.intervalMs } : {}),
          });
          return (name: string) => client.searchItems(name);
        })();
    let report: LinkReport;
    try {
      report = await proposeLinks(
        new Reconciler(graph.store, settings.baseIri),
        search,
        options.minScore,
      );
    } catch (error) {
      if (!(error instanceof WikidataUnavailableError)) throw error;
      io.err(`Wikidata could not be asked: ${error.message}. Try --offline.\n`);
      return 1;
    }
    const dataset = embeddedDataset(
      graph.store,
      graph.db,
      new SparqlEngine(graph.store, { baseIri: settings.baseIri, serviceAllowList: [] }),
      () => {},
      { baseIri: settings.baseIri, derivedView: true },
    );
    const changesets = new Changesets(dataset, graph.db, {
      baseIri: settings.baseIri,
      shapes: graph.shapes,
      history: true,
    });
    // An entity whose link already waits for review is not proposed again.
    const waiting = new Set(
      changesets
        .list({ status: 'pending', limit: 10_000, offset: 0 })
        .changesets.flatMap((c) => c.additions)
        .filter((q) => q.predicate.value === `${OWL}sameAs`)
        .map((q) => q.subject.value),
    );
    for (const proposal of report.proposals.filter((p) => waiting.has(p.entity))) {
      report.unmatched.push({
        entity: proposal.entity,
        name: proposal.name,
        reason: `a link to ${proposal.candidate.id} or another item already waits for review`,
      });
    }
    report.proposals = report.proposals.filter((p) => !waiting.has(p.entity));
    io.out(`${describe(report)}\n`);
    if (report.proposals.length === 0) {
      io.out(`No proposal (${report.unmatched.length} entities without a Wikidata link).\n`);
      return 0;
    }
    const source = options.offline ? 'offline extract data/wikidata/items.tsv' : 'wbsearchentities';
    let changeset;
    try {
      changeset = await changesets.submit(
        user,
        { additions: proposalQuads(settings.baseIri, report.proposals), deletions: [] },
        `Wikidata links proposed by communs-kg link (${source}):\n${describe({ ...report, unmatched: [] })}`,
      );
    } catch (error) {
      if (!(error instanceof ChangesetError)) throw error;
      io.err(`The proposals were not submitted: ${error.message}\n`);
      for (const v of error.violations ?? []) io.err(`- ${formatViolation(v)}\n`);
      return 1;
    }
    io.out(
      `Submitted ${report.proposals.length} proposal(s) as pending changeset ${changeset.id}: ` +
        'a moderator reviews it (/api/changesets).\n',
    );
    return 0;
  } finally {
    graph.db.close();
  }
}
