import { DRAWN_KINDS, type Neighbourhood, type NeighbourNode } from '../../graph/neighbourhood.js';
import { html, type PageLanguage, type SafeHtml } from '../html.js';
import { hrefFor } from '../iri-paths.js';
import { MESSAGES } from '../messages.js';
import { compact, pickLabel } from './rdf-view.js';

const WIDTH = 960;
const HEIGHT = 700;
const CENTRE = { x: WIDTH / 2, y: HEIGHT / 2 };
const RADIUS = { 0: 0, 1: 190, 2: 300 } as const;
const NODE_SIZE = { 0: 14, 1: 9, 2: 7 } as const;
const LABEL_LENGTH = 30;

interface Placed extends NeighbourNode {
  x: number;
  y: number;
  angle: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

function shorten(text: string): string {
  return text.length > LABEL_LENGTH ? `${text.slice(0, LABEL_LENGTH - 1)}…` : text;
}

/** Ring 1 evenly around the centre; ring 2 near the ring-1 nodes it links to, kept apart. */
function layout(neighbourhood: Neighbourhood): Placed[] {
  const at = (node: NeighbourNode, angle: number): Placed => ({
    ...node,
    angle,
    x: round(CENTRE.x + RADIUS[node.ring] * Math.cos(angle)),
    y: round(CENTRE.y + RADIUS[node.ring] * Math.sin(angle)),
  });
  const placed = new Map<string, Placed>();
  const centre = neighbourhood.nodes.find((node) => node.ring === 0);
  if (centre) placed.set(centre.iri, at(centre, 0));
  const first = neighbourhood.nodes.filter((node) => node.ring === 1);
  first.forEach((node, index) => {
    placed.set(node.iri, at(node, -Math.PI / 2 + (2 * Math.PI * index) / first.length));
  });
  const second = neighbourhood.nodes
    .filter((node) => node.ring === 2)
    .map((node) => {
      const anchors = neighbourhood.edges
        .flatMap((edge) =>
          edge.from === node.iri ? [edge.to] : edge.to === node.iri ? [edge.from] : [],
        )
        .map((iri) => placed.get(iri))
        .filter((anchor): anchor is Placed => anchor !== undefined && anchor.ring === 1);
      const x = anchors.reduce((sum, anchor) => sum + Math.cos(anchor.angle), 0);
      const y = anchors.reduce((sum, anchor) => sum + Math.sin(anchor.angle), 0);
      return { node, wanted: anchors.length > 0 ? Math.atan2(y, x) : 0 };
    })
    .sort((left, right) => left.wanted - right.wanted);
  const gap = (2 * Math.PI) / Math.max(second.length, 28);
  let previous = -Infinity;
  for (const { node, wanted } of second) {
    const angle = Math.max(wanted, previous + gap);
    placed.set(node.iri, at(node, angle));
    previous = angle;
  }
  return [...placed.values()];
}

function nodeHtml(node: Placed, baseIri: string, language: PageLanguage): SafeHtml {
  const label = pickLabel(node.labels, language)?.text ?? compact(node.iri);
  const size = NODE_SIZE[node.ring];
  const right = Math.cos(node.angle) >= -1e-9;
  const text =
    node.ring === 0
      ? html`<text x="${node.x}" y="${round(node.y + size + 14)}" text-anchor="middle"
          >${shorten(label)}</text
        >`
      : html`<text
          x="${round(node.x + (right ? size + 4 : -size - 4))}"
          y="${round(node.y + 4)}"
          text-anchor="${right ? 'start' : 'end'}"
          >${shorten(label)}</text
        >`;
  const kind = MESSAGES[language].kinds[node.kind];
  const classes = `node kind-${node.kind}${node.ring === 0 ? ' centre' : ''}`;
  const body = html`<title>${label} (${kind})</title
    ><circle cx="${node.x}" cy="${node.y}" r="${size}"></circle>${text}`;
  const href = hrefFor(node.iri, baseIri);
  return href
    ? html`<a class="${classes}" href="${href}">${body}</a>`
    : html`<g class="${classes}">${body}</g>`;
}

/**
 * The neighbourhood of an entity as an SVG picture drawn on the server (no script): the entity in
 * the centre, what it links to around it, one step further on an outer ring; nodes are links to
 * their pages, coloured by kind, with a legend and a caption.
 */
export function neighbourhoodFigure(
  neighbourhood: Neighbourhood,
  baseIri: string,
  language: PageLanguage,
): SafeHtml | false {
  if (neighbourhood.nodes.length < 2) return false;
  const m = MESSAGES[language];
  const nodes = layout(neighbourhood);
  const position = new Map(nodes.map((node) => [node.iri, node]));
  const edges = neighbourhood.edges.flatMap((edge) => {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    return from && to
      ? [html`<line class="edge" x1="${from.x}" y1="${from.y}" x2="${to.x}" y2="${to.y}"></line>`]
      : [];
  });
  const present = new Set(nodes.map((node) => node.kind));
  return html`<figure class="graph">
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}"
      role="group"
      aria-labelledby="neighbourhood-caption"
    >
      <g>${edges}</g>
      <g>${nodes.map((node) => nodeHtml(node, baseIri, language))}</g>
    </svg>
    <figcaption id="neighbourhood-caption">
      ${m.entity.neighbourhoodCaption}
      ${neighbourhood.omitted > 0 && html` ${m.entity.omitted(neighbourhood.omitted)}`}
    </figcaption>
    <ul class="legend">
      ${DRAWN_KINDS.filter((kind) => present.has(kind)).map((kind) => html`<li class="kind-${kind}">${m.kinds[kind]}</li>`)}
    </ul>
  </figure>`;
}
