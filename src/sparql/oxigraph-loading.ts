import { Store as N3Store } from 'n3';
import oxigraph from 'oxigraph';
import { LiteralFidelity } from './literal-fidelity.js';
import { blankNodeLabels, detached, parseNQuads, renameBlankNodes } from './nquads.js';

const NQUADS = 'application/n-quads';
/** Where a bulk load records which node each blank-node label became; dropped right after. */
const LABEL = 'urn:communs-kg:blank-node-label';
const LABELS_GRAPH = 'urn:communs-kg:blank-node-labels';
const BLANK_NODE_MARK = Buffer.from('_:');
const TYPED_LITERAL_MARK = Buffer.from('"^^<');

/**
 * Splits N-Quads (UTF-8) into the lines that may need care — those naming a blank node (`_:`)
 * or holding a typed literal Oxigraph could rewrite (`"^^<`, literal-fidelity.ts) — and the rest,
 * kept as bytes: most lines go to the bulk loader as they came, never decoded, split and encoded
 * again. Language tags need no care: N3, which parsed every quad the main store holds, writes
 * them in lower case, as Oxigraph stores them.
 */
function separate(nquads: Buffer): { ordinary: Buffer; lines: string[] } {
  const lines: string[] = [];
  const ordinary: Buffer[] = [];
  let copied = 0;
  let blank = nquads.indexOf(BLANK_NODE_MARK);
  let typed = nquads.indexOf(TYPED_LITERAL_MARK);
  while (blank >= 0 || typed >= 0) {
    const at = blank < 0 ? typed : typed < 0 ? blank : Math.min(blank, typed);
    const start = nquads.lastIndexOf(0x0a, at) + 1;
    const newline = nquads.indexOf(0x0a, at);
    const end = newline < 0 ? nquads.length : newline;
    ordinary.push(nquads.subarray(copied, start));
    lines.push(nquads.toString('utf8', start, end));
    copied = end;
    if (blank >= 0 && blank < end) blank = nquads.indexOf(BLANK_NODE_MARK, end);
    if (typed >= 0 && typed < end) typed = nquads.indexOf(TYPED_LITERAL_MARK, end);
  }
  ordinary.push(nquads.subarray(copied));
  return { ordinary: Buffer.concat(ordinary), lines };
}

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

  /** Adds N-Quads, as text or UTF-8 bytes (which spare an encoding: Oxigraph reads bytes). */
  add(nquads: string | Uint8Array): void {
    const bytes =
      typeof nquads === 'string'
        ? Buffer.from(nquads, 'utf8')
        : Buffer.from(nquads.buffer, nquads.byteOffset, nquads.byteLength);
    const { ordinary, lines } = separate(bytes);
    const altered = this.fidelity.altered(lines);
    const bulk: string[] = [];
    const oneByOne: string[] = [];
    const verbatim: string[] = [];
    const newLabels = new Set<string>();
    for (const [i, line] of lines.entries()) {
      if (altered[i]) {
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
    const rest = bulk.length > 0 ? `\n${bulk.join('\n')}\n` : '';
    this.store.load([ordinary, rest], { format: NQUADS, lenient: true });
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
    const inVerbatim = lines.filter((_, i) => altered[i]);
    const inOxigraph = lines.filter((_, i) => !altered[i]);
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
      if (adding) this.labels.set(detached(label), detached(label));
      return label;
    };
    return lines.map((line) => renameBlankNodes(line, rename)).join('\n');
  }
}
