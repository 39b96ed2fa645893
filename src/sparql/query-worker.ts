import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { QueryEngine } from '@comunica/query-sparql';
import { Parser, Store, type Quad } from 'n3';
import createRdfXmlWriter from '@graphy/content.xml.scribe';
import { PREFIXES } from '../rdf/namespaces.js';
import { comunicaContext, type EngineOptions } from './engine.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/**
 * A query worker: a replica of the store and a Comunica engine in its own thread, so that the
 * main thread stays responsive and a query past its time can be stopped by ending the thread.
 */
const port = parentPort;
if (!port) throw new Error('query-worker.js must run in a worker thread');

const options = workerData as EngineOptions;
const store = new Store();
const engine = new QueryEngine();
let current: { id: number; stream: NodeJS.ReadableStream & { destroy?: () => void } } | undefined;

const post = (message: FromWorker) => port.postMessage(message);
// Blank-node labels are kept as sent, so that a later deletion names the same nodes.
const parseNQuads = (text: string) =>
  new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(text);

async function runQuery(
  id: number,
  text: string,
  mediaType: string,
  rowLimit: number | undefined,
): Promise<void> {
  let started = false;
  try {
    const result = await engine.query(text, comunicaContext(store, options));
    if (rowLimit !== undefined && result.resultType === 'bindings') {
      const execute = result.execute.bind(result);
      result.execute = async (...args) => (await execute(...args)).take(rowLimit);
    }
    let stream: NodeJS.ReadableStream;
    if (mediaType === 'application/rdf+xml' && result.resultType === 'quads') {
      stream = toRdfXml((await result.execute()) as unknown as NodeJS.ReadableStream);
    } else if (mediaType === 'application/sparql-results+xml' && result.resultType === 'boolean') {
      // Comunica 5.4's XML writer fails on ASK results ("action.metadata is not a function").
      stream = Readable.from([booleanXml(await result.execute())]);
    } else {
      stream = (await engine.resultToString(result, mediaType)).data;
    }
    current = { id, stream };
    // The first chunk (the results' head) is held back until a second one or the end comes, so
    // that a query producing nothing before its time runs out can still be answered with a 503.
    let held: string | undefined;
    let chunks = 0;
    const send = (data: string) => {
      started = true;
      post({ type: 'chunk', id, data });
    };
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer | string) => {
        chunks += 1;
        if (chunks === 1) {
          held = chunk.toString();
          return;
        }
        send(held === undefined ? chunk.toString() : held + chunk.toString());
        held = undefined;
      });
      stream.on('error', reject);
      stream.on('end', resolve);
      stream.on('close', resolve);
    });
    if (held !== undefined) send(held);
    post({ type: 'end', id });
  } catch (error) {
    post({ type: 'error', id, message: (error as Error).message ?? String(error), started });
  } finally {
    current = undefined;
  }
}

function booleanXml(value: boolean): string {
  return (
    '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n' +
    `  <head></head>\n  <boolean>${value}</boolean>\n</sparql>\n`
  );
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

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load':
      store.addQuads(parseNQuads(message.nquads));
      post({ type: 'ready' });
      break;
    case 'change':
      for (const step of message.steps) {
        if (step.delete) store.removeQuads(parseNQuads(step.delete));
        if (step.add) store.addQuads(parseNQuads(step.add));
      }
      break;
    case 'query':
      void runQuery(message.id, message.text, message.mediaType, message.rowLimit);
      break;
    case 'pause':
      if (current?.id === message.id) current.stream.pause();
      break;
    case 'resume':
      if (current?.id === message.id) current.stream.resume();
      break;
    case 'cancel':
      if (current?.id === message.id) current.stream.destroy?.();
      break;
  }
});
