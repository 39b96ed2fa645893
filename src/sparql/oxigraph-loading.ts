import { Store as N3Store } from 'n3';
import oxigraph from 'oxigraph';
import { LiteralFidelity } from './literal-fidelity.js';
import { blankNodeLabels, parseNQuads, renameBlankNodes } from './nquads.js';

const NQUADS = 'application/n-quads';
/** Where a bulk load records which node each blank-node label became; dropped right after. */
const LABEL = 'urn:communs-kg:blank-node-label';
const LABELS_GRAPH = 'urn:communs-kg:blank-node-labels';

/**
 * Keeps an Oxigraph store (and the verbatim N3 store beside it) in step with N-Quads from the main
 * store, as fast as Oxigraph's bulk loader allows, and exact:
 * - quads whose literal Oxigraph would store in another form go to the verbatim store
 *   (literal-fidelity.ts);
 * - Oxigraph's bulk loader gives every blank node a new random label, yet a later deletion names
 *   the node by the main store's label. So each bulk load also loads, for every new label, a
 *   triple `_:label <LABEL> "label"` in a scratch graph, reads back which node each label became,
 *   and drops the graph. Quads that name a node loaded earlier are added one by one with its
 *   Oxigraph label (slower: one call per quad), as are the verbatim ones.
 * The label map only grows: a node's last triple going does not tell that the node is gone.
 */
export class OxigraphLoader {
  private readonly fidelity = new LiteralFidelity();
  /** The main store's blank-node label → the label of that node in Oxigraph's store. */
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly store: InstanceType<typeof oxigraph.Store>,
    private readonly verbatim: N3Store,
  ) {}

  add(nquads: string): void {
    const lines = nquads.split('\n').filter((line) => line.trim());
    const altered = this.fidelity.altered(lines);
    const bulk: string[] = [];
    const oneByOne: string[] = [];
    const verbatim: string[] = [];
    const newLabels = new Set<string>();
    for (const line of lines) {
      if (altered.has(line)) {
        verbatim.push(line);
        continue;
      }
      const labels = blankNodeLabels(line);
      if (labels.some((label) => this.labels.has(label))) {
        oneByOne.push(line);
        continue;
      }
      bulk.push(line);
      for (const label of labels) newLabels.add(label);
    }
    for (const label of newLabels) {
      bulk.push(`_:${label} <${LABEL}> "${label}" <${LABELS_GRAPH}> .`);
    }
    // Lenient: the text comes from the main store, already parsed and checked once.
    if (bulk.length > 0) this.store.load(bulk.join('\n'), { format: NQUADS, lenient: true });
    if (newLabels.size > 0) this.readLabels();
    if (oneByOne.length > 0) {
      for (const quad of oxigraph.parse(this.relabel(oneByOne), { format: NQUADS })) {
        this.store.add(quad);
      }
    }
    if (verbatim.length > 0) this.verbatim.addQuads(parseNQuads(this.relabel(verbatim)));
  }

  delete(nquads: string): void {
    const lines = nquads.split('\n').filter((line) => line.trim());
    const altered = this.fidelity.altered(lines);
    const inVerbatim = lines.filter((line) => altered.has(line));
    const inOxigraph = lines.filter((line) => !altered.has(line));
    if (inVerbatim.length > 0) {
      this.verbatim.removeQuads(parseNQuads(this.relabel(inVerbatim, false)));
    }
    if (inOxigraph.length > 0) {
      for (const quad of oxigraph.parse(this.relabel(inOxigraph, false), { format: NQUADS })) {
        this.store.delete(quad);
      }
    }
  }

  private readLabels(): void {
    const marker = oxigraph.namedNode(LABEL);
    const graph = oxigraph.namedNode(LABELS_GRAPH);
    for (const quad of this.store.match(null, marker, null, graph)) {
      this.labels.set(quad.object.value, quad.subject.value);
    }
    this.store.update(`DROP SILENT GRAPH <${LABELS_GRAPH}>`);
  }

  /**
   * The lines with the main store's labels replaced by Oxigraph's. A label not seen before keeps
   * its own, and is remembered as such when the lines are being added.
   */
  private relabel(lines: string[], adding = true): string {
    const rename = (label: string) => {
      const known = this.labels.get(label);
      if (known !== undefined) return known;
      if (adding) this.labels.set(label, label);
      return label;
    };
    return lines.map((line) => renameBlankNodes(line, rename)).join('\n');
  }
}
