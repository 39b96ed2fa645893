import { DataFactory } from 'n3';
import { GraphStore } from '../src/store/graph-store.js';

const { namedNode, literal, quad } = DataFactory;
const triple = (s: string, o: string) => quad(namedNode(s), namedNode('http://p'), literal(o));

describe('GraphStore', () => {
  it('replaces a graph at once, keeping the new content after the event loop turns', async () => {
    const store = new GraphStore();
    store.replaceGraph('http://g', [triple('http://a', '1'), triple('http://b', '2')]);
    store.replaceGraph('http://g', [triple('http://c', '3')]);
    store.addToGraph('http://h', [triple('http://a', '1')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.size).toBe(2);
    expect(store.quads('http://g').map((q) => q.subject.value)).toEqual(['http://c']);
    expect(store.graphNames().sort()).toEqual(['http://g', 'http://h']);
  });
});
