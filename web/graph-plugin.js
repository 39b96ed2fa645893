// A YASR plugin that draws CONSTRUCT and DESCRIBE results as a graph picture (SVG): resources
// as circles (linking to their pages), literals as boxes, statements as arrows; rdfs:label
// statements name their subject instead of being drawn. Force-directed layout with gravity,
// deterministic.
import { format, localHref } from './config.js';

const SVG = 'http://www.w3.org/2000/svg';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const MAX_EDGES = 300;
const WIDTH = 960;
const HEIGHT = 640;

function element(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const shorten = (text, length = 28) =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text;

/** Fruchterman–Reingold, from a circle: the same result for the same statements. */
function layout(nodes, edges) {
  const area = WIDTH * HEIGHT;
  const k = Math.sqrt(area / Math.max(nodes.length, 1)) * 0.8;
  nodes.forEach((node, index) => {
    const angle = (2 * Math.PI * index) / nodes.length;
    node.x = WIDTH / 2 + (WIDTH / 3) * Math.cos(angle);
    node.y = HEIGHT / 2 + (HEIGHT / 3) * Math.sin(angle);
  });
  let temperature = WIDTH / 10;
  for (let step = 0; step < 250; step++) {
    for (const node of nodes) node.dx = node.dy = 0;
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i];
        const b = nodes[j];
        const dx = a.x - b.x || 0.01;
        const dy = a.y - b.y || 0.01;
        const distance = Math.max(Math.hypot(dx, dy), 0.01);
        const force = (k * k) / distance;
        a.dx += (dx / distance) * force;
        a.dy += (dy / distance) * force;
        b.dx -= (dx / distance) * force;
        b.dy -= (dy / distance) * force;
      }
    }
    for (const edge of edges) {
      const dx = edge.from.x - edge.to.x;
      const dy = edge.from.y - edge.to.y;
      const distance = Math.max(Math.hypot(dx, dy), 0.01);
      const force = (distance * distance) / k;
      edge.from.dx -= (dx / distance) * force;
      edge.from.dy -= (dy / distance) * force;
      edge.to.dx += (dx / distance) * force;
      edge.to.dy += (dy / distance) * force;
    }
    for (const node of nodes) {
      // Gravity: parts of the graph that are not linked stay near the middle, not in corners.
      node.dx -= (node.x - WIDTH / 2) * 0.1;
      node.dy -= (node.y - HEIGHT / 2) * 0.1;
      const length = Math.max(Math.hypot(node.dx, node.dy), 0.01);
      node.x += (node.dx / length) * Math.min(length, temperature);
      node.y += (node.dy / length) * Math.min(length, temperature);
    }
    temperature *= 0.98;
  }
  const xs = nodes.map((node) => node.x);
  const ys = nodes.map((node) => node.y);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs),
    Math.min(...ys),
    Math.max(...ys),
  ];
  const margin = 80;
  const scale = Math.min(
    (WIDTH - 2 * margin) / Math.max(maxX - minX, 1),
    (HEIGHT - 2 * margin) / Math.max(maxY - minY, 1),
  );
  for (const node of nodes) {
    node.x = margin + (node.x - minX) * scale;
    node.y = margin + (node.y - minY) * scale;
  }
}

export class GraphPlugin {
  constructor(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = 'Graph';
    this.config = {};
  }

  static settings = { baseIri: '', prefixes: {}, messages: {} };

  canHandleResults() {
    const results = this.yasr.results;
    return Boolean(results?.getType?.() === 'ttl' && results.getBindings().length > 0);
  }

  getIcon() {
    const icon = document.createElement('span');
    icon.textContent = '◉';
    icon.setAttribute('aria-hidden', 'true');
    return icon;
  }

  compact(iri) {
    for (const [prefix, namespace] of Object.entries(GraphPlugin.settings.prefixes)) {
      if (iri.startsWith(namespace)) return `${prefix}:${iri.slice(namespace.length)}`;
    }
    return iri;
  }

  draw() {
    const { baseIri, messages } = GraphPlugin.settings;
    const bindings = this.yasr.results.getBindings();
    const nodes = new Map();
    const labels = new Map();
    const edges = new Map();
    const nodeOf = (term) => {
      const id = `${term.type}|${term.value}|${term['xml:lang'] ?? ''}`;
      if (!nodes.has(id)) nodes.set(id, { id, term });
      return nodes.get(id);
    };
    for (const row of bindings) {
      const { subject, predicate, object } = row;
      if (!subject || !predicate || !object) continue;
      if (predicate.value === RDFS_LABEL && object.type === 'literal') {
        if (!labels.has(subject.value) || object['xml:lang'] === 'fr') {
          labels.set(subject.value, object.value);
        }
        continue;
      }
      const key = `${subject.value} ${predicate.value} ${object.type} ${object.value}`;
      if (edges.size >= MAX_EDGES || edges.has(key)) continue;
      edges.set(key, { from: nodeOf(subject), to: nodeOf(object), predicate: predicate.value });
    }
    for (const [iri] of labels) {
      if (![...nodes.values()].some((node) => node.term.value === iri)) {
        nodeOf({ type: 'uri', value: iri });
      }
    }
    const list = [...nodes.values()];
    const links = [...edges.values()];
    layout(list, links);

    const figure = document.createElement('figure');
    figure.className = 'graph';
    const svg = element('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'group',
      'aria-labelledby': 'construct-caption',
    });
    const defs = element('defs');
    const marker = element('marker', {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 18,
      refY: 5,
      markerWidth: 6,
      markerHeight: 6,
      orient: 'auto-start-reverse',
    });
    marker.append(element('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    svg.append(defs);
    for (const link of links) {
      const line = element('line', {
        class: 'edge',
        x1: link.from.x,
        y1: link.from.y,
        x2: link.to.x,
        y2: link.to.y,
        'marker-end': 'url(#arrow)',
      });
      line.append(element('title', {}, this.compact(link.predicate)));
      svg.append(line);
    }
    for (const node of list) {
      const { term } = node;
      const isLiteral = term.type === 'literal' || term.type === 'typed-literal';
      const name = labels.get(term.value) ?? (isLiteral ? term.value : this.compact(term.value));
      const group = element(term.type === 'uri' ? 'a' : 'g', {
        class: `node kind-${isLiteral ? 'other' : term.type === 'uri' ? 'commons' : 'topic'}`,
      });
      if (term.type === 'uri') group.setAttribute('href', localHref(term.value, baseIri));
      group.append(element('title', {}, isLiteral ? term.value : `${name} <${term.value}>`));
      group.append(
        isLiteral
          ? element('rect', {
              x: node.x - 5,
              y: node.y - 5,
              width: 10,
              height: 10,
              class: 'literal',
            })
          : element('circle', { cx: node.x, cy: node.y, r: 7 }),
      );
      group.append(element('text', { x: node.x + 10, y: node.y + 4 }, shorten(name)));
      svg.append(group);
    }
    const caption = document.createElement('figcaption');
    caption.id = 'construct-caption';
    caption.textContent = format(messages.graphCaption ?? '{n}', { n: links.length });
    if (bindings.length > MAX_EDGES) {
      caption.textContent += ` ${format(messages.graphTooBig ?? '', { n: bindings.length, max: MAX_EDGES })}`;
    }
    figure.append(svg, caption);
    this.yasr.resultsEl.replaceChildren(figure);
  }
}
