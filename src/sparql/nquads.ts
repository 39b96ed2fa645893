import { Parser, type Quad } from 'n3';

/** Parses N-Quads keeping blank-node labels as sent, so that a later deletion names the same nodes. */
export const parseNQuads = (text: string): Quad[] =>
  new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(text);
