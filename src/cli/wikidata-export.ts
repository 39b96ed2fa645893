import { writeFile } from 'node:fs/promises';
import type { Settings } from '../config/settings.js';
import { loadGraph, projectSources } from '../graph/loader.js';
import { BaseIriMismatchError, readSeededGraph } from '../graph/open.js';
import { graphIris } from '../rdf/namespaces.js';
import {
  buildWikidataExport,
  formatReport,
  QuickStatementsValueError,
} from '../graph/quickstatements.js';
import { RdfSyntaxError } from '../rdf/parse.js';
import { UsageError, type Output } from './commands.js';

export interface WikidataExportOptions {
  /** QuickStatements file; stdout when absent. */
  out?: string;
  /** Report file; stderr when absent. */
  report?: string;
  /** Only the report, no QuickStatements. */
  dryRun?: boolean;
  /** S854 for a source document that records no URL. */
  sourceUrl?: string;
  /** S813, YYYY-MM-DD; today (UTC) when absent. */
  retrieved?: string;
  /** More Turtle files read with data/ (e.g. owl:sameAs links to review); the files are then read, not the database. */
  addData?: string[];
}

/**
 * `communs-kg wikidata-export`: QuickStatements V1 for what the graph knows about entities linked
 * to Wikidata, and a report of what it would add and what it skipped and why.
 */
export async function wikidataExportCommand(
  settings: Settings,
  options: WikidataExportOptions,
  io: Output,
): Promise<number> {
  const sources = await projectSources();
  if (options.addData?.length) sources.dataFiles = [...sources.dataFiles, ...options.addData];
  let graph;
  try {
    // The live graph (accepted links included) once the database is seeded, else the files.
    const live = options.addData?.length
      ? undefined
      : readSeededGraph(settings.dataDir, settings.baseIri);
    const graphs = graphIris(settings.baseIri);
    graph = live
      ? {
          ontology: live.quads(graphs.ontology),
          data: live.quads(graphs.data),
          derived: live.quads(graphs.wikidataView),
        }
      : await loadGraph(settings.baseIri, sources);
  } catch (error) {
    if (error instanceof BaseIriMismatchError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    if (error instanceof RdfSyntaxError) {
      io.err(`Syntax error in ${error.message}\nNothing was loaded.\n`);
      return 1;
    }
    throw error;
  }
  let result;
  try {
    result = buildWikidataExport(graph, {
      baseIri: settings.baseIri,
      retrieved: options.retrieved ?? new Date().toISOString().slice(0, 10),
      sourceUrl: options.sourceUrl,
    });
  } catch (error) {
    if (error instanceof QuickStatementsValueError) throw new UsageError(error.message);
    throw error;
  }
  const report = formatReport(result);
  if (!options.dryRun) {
    const text = result.lines.map((line) => `${line}\n`).join('');
    if (options.out) await writeFile(options.out, text);
    else io.out(text);
  }
  if (options.report) {
    await writeFile(options.report, report);
    io.err(
      `Wrote ${options.dryRun ? 'no QuickStatements (dry run)' : `${result.lines.length} QuickStatements command(s)${options.out ? ` to ${options.out}` : ''}`}; report in ${options.report}\n`,
    );
  } else if (options.dryRun) {
    io.out(report);
  } else {
    io.err(report);
  }
  return 0;
}
