import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Store, type Quad } from 'n3';
import { parseRdfFile } from '../rdf/parse.js';
import { graphIris } from '../rdf/namespaces.js';
import { GraphStore } from '../store/graph-store.js';
import { PROJECT_ROOT } from '../paths.js';
import { deriveWikidataView } from './wikidata-view.js';
import { validateAgainstShapes, type ValidationOutcome } from './validation.js';

export const SHAPES_FILE = 'shapes.ttl';

/** The files a graph is built from: the ontology (with topics), its shapes, and the curated data. */
export interface GraphSources {
  ontologyFiles: string[];
  shapesFile: string;
  dataFiles: string[];
}

export async function projectSources(root = PROJECT_ROOT): Promise<GraphSources> {
  const turtleIn = async (dir: string) =>
    (await readdir(join(root, dir)))
      .filter((name) => name.endsWith('.ttl'))
      .sort()
      .map((name) => join(root, dir, name));
  const ontology = await turtleIn('ontology');
  return {
    ontologyFiles: ontology.filter((file) => !file.endsWith(`/${SHAPES_FILE}`)),
    shapesFile: join(root, 'ontology', SHAPES_FILE),
    dataFiles: await turtleIn('data'),
  };
}

export interface LoadedGraph {
  store: GraphStore;
  shapes: Quad[];
  ontology: Quad[];
  data: Quad[];
  derived: Quad[];
}

/**
 * Reads the ontology and data into a fresh store and derives the Wikidata view. Every file is
 * parsed before anything is stored, so a syntax error (RdfSyntaxError, with file, line and column)
 * leaves nothing half-loaded.
 */
export async function loadGraph(baseIri: string, sources: GraphSources): Promise<LoadedGraph> {
  const parseAll = async (files: string[]) =>
    (await Promise.all(files.map((file) => parseRdfFile(file, baseIri)))).flat();
  const [ontology, shapes, data] = await Promise.all([
    parseAll(sources.ontologyFiles),
    parseAll([sources.shapesFile]),
    parseAll(sources.dataFiles),
  ]);
  const combined = new Store([...ontology, ...data]);
  const derived = deriveWikidataView(combined);

  const graphs = graphIris(baseIri);
  const store = new GraphStore();
  store.replaceGraph(graphs.ontology, ontology);
  store.replaceGraph(graphs.data, data);
  store.replaceGraph(graphs.wikidataView, derived);
  return { store, shapes, ontology, data, derived };
}

/** Validates the data, read together with the ontology that sh:class checks rely on. */
export function validateLoadedGraph(graph: LoadedGraph): Promise<ValidationOutcome> {
  return validateAgainstShapes(graph.shapes, [...graph.ontology, ...graph.data]);
}
