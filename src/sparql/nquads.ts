import { Parser, type Quad } from 'n3';

/** Parses N-Quads keeping blank-node labels as sent, so that a later deletion names the same nodes. */
export const parseNQuads = (text: string): Quad[] =>
  new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(text);

/**
 * Where the literal of an N-Quads line is: from its opening quote to the end of its datatype or
 * language tag. Subjects, predicates and graph names never hold a double quote, so the literal,
 * if any, starts at the line's first one.
 */
export function literalSpan(line: string): { start: number; end: number } | undefined {
  const start = line.indexOf('"');
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
  end += 1;
  if (line.startsWith('^^<', end)) end = line.indexOf('>', end) + 1;
  else if (line[end] === '@') end += /^@[A-Za-z0-9-]+/.exec(line.slice(end))?.[0].length ?? 0;
  return { start, end };
}

/**
 * A copy of a string that does not keep the text it was cut from alive: V8 represents a slice of
 * a long string as a view on it, so a few slices kept in a map would hold whole loaded chunks.
 */
export const detached = (slice: string): string => Buffer.from(slice, 'utf8').toString('utf8');

const BLANK_NODE = /_:([^\s<>".]+(?:\.+[^\s<>".]+)*)/g;

/** The line with each blank-node label (outside its literal) replaced by `rename(label)`. */
export function renameBlankNodes(line: string, rename: (label: string) => string): string {
  const replace = (text: string) =>
    text.includes('_:')
      ? text.replace(BLANK_NODE, (match, label: string, at: number) =>
          // A term starts the text or follows white space: "_:" inside an IRI is no blank node.
          at === 0 || /\s/.test(text[at - 1] as string) ? `_:${rename(label)}` : match,
        )
      : text;
  const span = literalSpan(line);
  if (!span) return replace(line);
  return (
    replace(line.slice(0, span.start)) +
    line.slice(span.start, span.end) +
    replace(line.slice(span.end))
  );
}

/** The blank-node labels of a line, outside its literal. */
export function blankNodeLabels(line: string): string[] {
  const labels: string[] = [];
  if (!line.includes('_:')) return labels;
  renameBlankNodes(line, (label) => {
    labels.push(label);
    return label;
  });
  return labels;
}
