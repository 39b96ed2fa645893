import type { Changeset } from '../graph/changesets.js';

/**
 * Text for XML content or attributes: markup characters escaped, and characters XML 1.0 cannot
 * carry at all (control characters, lone surrogates, U+FFFE/U+FFFF), which a message or reason
 * may hold, replaced by U+FFFD so that the feed stays well-formed.
 */
const xml = (text: string) =>
  text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Recent changes as an Atom 1.0 feed (RFC 4287). */
export function atomFeed(changesets: Changeset[], origin: string, baseIri: string): string {
  const updated =
    changesets[0]?.reviewedAt ?? changesets[0]?.createdAt ?? new Date(0).toISOString();
  const entries = changesets.map((c) => {
    const link = `${origin}/api/changesets/${c.id}`;
    const what = c.status === 'accepted' ? (c.direct ? 'applied' : 'accepted') : c.status;
    return `  <entry>
    <id>${xml(`${baseIri}id/changeset/${c.id}`)}</id>
    <title>${xml(`Changeset ${c.id} ${what}: ${c.message}`)}</title>
    <link href="${xml(link)}"/>
    <updated>${c.reviewedAt ?? c.createdAt}</updated>
    <author><name>${xml(c.author)}</name></author>
    <summary>${xml(`+${c.additions.length} −${c.deletions.length}${c.reviewer ? `, reviewed by ${c.reviewer}` : ''}${c.reviewReason ? `: ${c.reviewReason}` : ''}`)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(`${baseIri}changes`)}</id>
  <title>communs-kg: recent changes</title>
  <link rel="self" href="${xml(`${origin}/api/changes.atom`)}"/>
  <updated>${updated}</updated>
${entries.join('\n')}
</feed>
`;
}
