import type { Term } from '@rdfjs/types';
import type { QueryEngine } from '@comunica/query-sparql';
import { BindingsFactory } from '@comunica/utils-bindings-factory';
import { ArrayIterator } from 'asynciterator';
import { DataFactory } from 'rdf-data-factory';

/**
 * Rows of a SELECT answered elsewhere (Oxigraph's JSON cut to the row limit, an external store's
 * results), written in the requested results format by Comunica's serialisers.
 */
export async function writeBindings(
  engine: QueryEngine,
  variables: readonly string[],
  rows: ReadonlyArray<Readonly<Record<string, Term>>>,
  mediaType: string,
): Promise<NodeJS.ReadableStream> {
  const factory = new DataFactory();
  const bindingsFactory = new BindingsFactory(factory);
  const bindings = rows.map((row) => bindingsFactory.fromRecord(row as never));
  const result = {
    resultType: 'bindings' as const,
    execute: async () => new ArrayIterator(bindings, { autoStart: false }),
    metadata: async () => ({ variables: variables.map((name) => factory.variable(name)) }),
  };
  return (await engine.resultToString(result as never, mediaType)).data;
}

/** An ASK result in SPARQL JSON or XML (Comunica 5.4's XML writer fails on booleans). */
export function writeBoolean(value: boolean, mediaType: string): string {
  if (mediaType === 'application/sparql-results+xml') {
    return (
      '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n' +
      `  <head></head>\n  <boolean>${value}</boolean>\n</sparql>\n`
    );
  }
  return `${JSON.stringify({ head: {}, boolean: value })}\n`;
}
