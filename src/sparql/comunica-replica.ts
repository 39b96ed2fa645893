import { Readable } from 'node:stream';
import { QueryEngine } from '@comunica/query-sparql';
import type { QueryStringContext } from '@comunica/types';
import { Store, type Quad } from 'n3';
import createRdfXmlWriter from '@graphy/content.xml.scribe';
import { PREFIXES } from '../rdf/namespaces.js';
import type { EngineOptions } from './engine.js';
import type { Replica, ReplicaQuery } from './replica.js';
import type { ChangeStep } from './worker-protocol.js';
import { federationContext, firstItem, remoteError } from './federation.js';
import { parseNQuads } from './nquads.js';
import { writeBoolean } from './result-writing.js';

/** The Comunica context every evaluation uses, in this thread or in a query worker. */
export function comunicaContext(source: Store, options: EngineOptions) {
  return {
    sources: [source],
    unionDefaultGraph: options.unionDefaultGraph ?? true,
    baseIRI: options.baseIri,
  };
}

/**
 * Evaluates with Comunica over any RDF/JS source and serialises in every result format, filling
 * the two gaps of Comunica 5.4: RDF/XML output, and ASK results as XML.
 */
export async function evaluateWithComunica(
  engine: QueryEngine,
  context: QueryStringContext,
  query: ReplicaQuery,
): Promise<NodeJS.ReadableStream> {
  try {
    return await evaluate(engine, context, query);
  } catch (error) {
    throw query.federated ? remoteError(error) : error;
  }
}

async function evaluate(
  engine: QueryEngine,
  context: QueryStringContext,
  query: ReplicaQuery,
): Promise<NodeJS.ReadableStream> {
  const result = await engine.query(query.text, context);
  const { rowLimit, mediaType } = query;
  if (query.federated && (result.resultType === 'bindings' || result.resultType === 'quads')) {
    const stream = await firstItem<unknown>((await result.execute()) as never);
    result.execute = async () => stream as never;
  }
  if (rowLimit !== undefined && result.resultType === 'bindings') {
    const execute = result.execute.bind(result);
    result.execute = async (...args) => (await execute(...args)).take(rowLimit);
  }
  if (mediaType === 'application/rdf+xml' && result.resultType === 'quads') {
    return toRdfXml((await result.execute()) as unknown as NodeJS.ReadableStream);
  }
  if (mediaType === 'application/sparql-results+xml' && result.resultType === 'boolean') {
    // Comunica 5.4's XML writer fails on ASK results ("action.metadata is not a function").
    return Readable.from([writeBoolean(await result.execute(), mediaType)]);
  }
  return (await engine.resultToString(result, mediaType)).data;
}

/** RDF/XML cannot name every predicate; such a triple ends the stream with an error, not a gap. */
function toRdfXml(quads: NodeJS.ReadableStream): NodeJS.ReadableStream {
  const writer = createRdfXmlWriter({ prefixes: { ...PREFIXES } });
  quads.on('data', (quad: Quad) => {
    if (!/[\p{L}_][\p{L}\p{N}_.-]*$/u.test(quad.predicate.value)) {
      writer.destroy(new Error(`RDF/XML cannot express the predicate <${quad.predicate.value}>`));
      return;
    }
    writer.write(quad);
  });
  quads.on('end', () => writer.end());
  quads.on('error', (error: Error) => writer.destroy(error));
  return writer;
}

/** Comunica over an N3 store. */
export class ComunicaReplica implements Replica {
  private readonly store = new Store();
  private readonly engine = new QueryEngine();

  constructor(private readonly options: EngineOptions & { queryTimeoutMs?: number }) {}

  load(nquads: string | Uint8Array): void {
    const text = typeof nquads === 'string' ? nquads : Buffer.from(nquads).toString('utf8');
    this.store.addQuads(parseNQuads(text));
  }

  change(steps: ChangeStep[]): void {
    for (const step of steps) {
      if (step.delete) this.store.removeQuads(parseNQuads(step.delete));
      if (step.add) this.store.addQuads(parseNQuads(step.add));
    }
  }

  evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream> {
    const context = {
      ...comunicaContext(this.store, this.options),
      ...(query.federated ? federationContext(this.options.queryTimeoutMs) : {}),
    };
    return evaluateWithComunica(this.engine, context, query);
  }
}
