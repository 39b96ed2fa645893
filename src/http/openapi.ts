/** The OpenAPI 3.1 description of the /api router (api.ts). */
export function openApiDocument() {
  const json = (description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'object' } } },
  });
  const secured = [{ bearer: [] }];
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
  const userName = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  const errors = {
    '400': json('Malformed request (RDF errors give line and column)'),
    '401': json('No token, or an invalid one'),
    '403': json('The role does not allow it'),
    '404': json('No such resource'),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'communs-kg collaboration API',
      version: '1',
      description:
        'Contributions as reviewed changesets, provenance and history, gardening, users and tokens.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/api/changesets': {
        get: {
          summary: 'List changesets, newest first',
          parameters: ['status', 'author', 'limit', 'offset'].map((name) => ({
            name,
            in: 'query',
            schema: { type: name === 'limit' || name === 'offset' ? 'integer' : 'string' },
          })),
          responses: { '200': json('A page of changesets') },
        },
        post: {
          summary: 'Submit a changeset (pending; admins may set "direct": true)',
          security: secured,
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['message'],
                  properties: {
                    message: { type: 'string' },
                    source: { type: 'string', format: 'uri' },
                    add: { description: 'RDF text (or a JSON-LD object) to add' },
                    remove: { description: 'RDF text (or a JSON-LD object) to remove' },
                    format: { type: 'string', default: 'text/turtle' },
                    update: {
                      type: 'string',
                      description: 'A SPARQL Update instead of add/remove',
                    },
                    direct: { type: 'boolean' },
                  },
                },
              },
            },
          },
          responses: {
            '201': json('The changeset, pending (or applied when direct)'),
            ...errors,
            '409': json('Statements to remove are not in the graph'),
            '422': json(
              'The change breaks the SHACL shapes: violations with focus node, path, message',
            ),
          },
        },
      },
      '/api/changesets/{id}': {
        get: {
          summary: 'A changeset with its diff',
          parameters: [id],
          responses: { '200': json('The changeset'), '404': errors['404'] },
        },
      },
      '/api/changesets/{id}/accept': {
        post: {
          summary: "Accept and apply (moderators; not one's own)",
          security: secured,
          parameters: [id],
          responses: {
            '200': json('Applied'),
            ...errors,
            '409': json('Not pending, or conflicts with the graph'),
            '422': json('Breaks the shapes'),
          },
        },
      },
      '/api/changesets/{id}/reject': {
        post: {
          summary: "Reject with a reason (moderators; not one's own)",
          security: secured,
          parameters: [id],
          responses: { '200': json('Rejected'), ...errors, '409': json('Not pending') },
        },
      },
      '/api/changesets/{id}/revert': {
        post: {
          summary: 'Propose the inverse of an accepted changeset',
          security: secured,
          parameters: [id],
          responses: {
            '201': json('The inverse changeset, pending'),
            ...errors,
            '409': json('Not accepted'),
          },
        },
      },
      '/api/history': {
        get: {
          summary: 'Applied changesets that touched an entity',
          parameters: [{ name: 'entity', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { '200': json('History') },
        },
      },
      '/api/changes': {
        get: { summary: 'Recent changes (JSON)', responses: { '200': json('Recent changes') } },
      },
      '/api/changes.atom': {
        get: {
          summary: 'Recent changes (Atom)',
          responses: {
            '200': { description: 'Atom feed', content: { 'application/atom+xml': {} } },
          },
        },
      },
      '/api/gardening/due': {
        get: {
          summary: 'Entities not reviewed within the period',
          parameters: [{ name: 'months', in: 'query', schema: { type: 'number' } }],
          responses: { '200': json('Entities due for review') },
        },
      },
      '/api/gardening/reviewed': {
        post: {
          summary: 'Mark an entity reviewed (moderators)',
          security: secured,
          responses: { '200': json('Recorded'), ...errors },
        },
      },
      '/api/me': {
        get: {
          summary: 'The user of the token',
          security: secured,
          responses: { '200': json('User'), '401': errors['401'] },
        },
      },
      '/api/users': {
        get: {
          summary: 'Users (admins)',
          security: secured,
          responses: { '200': json('Users'), ...errors },
        },
        post: {
          summary: 'Create a user and its first token, shown once (admins)',
          security: secured,
          responses: { '201': json('User and token'), ...errors, '409': json('Name taken') },
        },
      },
      '/api/users/{name}/tokens': {
        get: {
          summary: 'Tokens of a user (self or admins)',
          security: secured,
          parameters: [userName],
          responses: { '200': json('Tokens'), ...errors },
        },
        post: {
          summary: 'A new token, shown once (self or admins)',
          security: secured,
          parameters: [userName],
          responses: { '201': json('Token'), ...errors },
        },
      },
      '/api/tokens/{id}': {
        delete: {
          summary: 'Revoke a token (owner or admins)',
          security: secured,
          parameters: [id],
          responses: { '200': json('Revoked'), ...errors },
        },
      },
    },
  };
}
