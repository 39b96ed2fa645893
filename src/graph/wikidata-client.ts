/** The Wikidata Action API, where wbsearchentities answers name searches. */
export const WIKIDATA_API = 'https://www.wikidata.org/w/api.php';

/** Wikimedia asks every client to say who it is and how to reach its maintainers. */
export const USER_AGENT =
  'communs-kg/0.1 (https://w3id.org/communs-kg; knowledge graph of the digital commons) Node.js';

export interface WikidataCandidate {
  id: string;
  label: string;
  description?: string;
}

export interface WikidataClientOptions {
  /** Base URL of the Action API (a local stand-in in tests). */
  apiUrl?: string;
  /** Least time between two requests, in ms (Wikimedia's etiquette: no parallel bursts). */
  minIntervalMs?: number;
  /** Time allowed for one request, in ms. */
  timeoutMs?: number;
  /** Attempts for a request that fails with 429, 5xx or a network error. */
  attempts?: number;
  /** First back-off delay, in ms, doubled at each retry (a Retry-After header wins). */
  backoffMs?: number;
  /** Time source and waiting, replaceable so that tests can check the pacing without sleeping. */
  clock?: Clock;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Wikidata could not be reached or did not answer usefully; the message says why. */
export class WikidataUnavailableError extends Error {}

/**
 * A polite client of Wikidata's search: a descriptive User-Agent, one request at a time at most
 * every `minIntervalMs`, a timeout per request, and retries with exponential back-off on 429 and
 * 5xx (honouring Retry-After). It only reads; nothing is ever written to Wikidata.
 */
export class WikidataClient {
  private readonly apiUrl: string;
  private readonly minIntervalMs: number;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly clock: Clock;
  private queue: Promise<unknown> = Promise.resolve();
  private lastRequestAt = -Infinity;

  constructor(options: WikidataClientOptions = {}) {
    this.apiUrl = options.apiUrl ?? WIKIDATA_API;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 1000;
    this.clock = options.clock ?? realClock;
  }

  /** Items whose label or alias matches `name`, in `language` (wbsearchentities). */
  async searchItems(name: string, language = 'fr', limit = 5): Promise<WikidataCandidate[]> {
    const url = new URL(this.apiUrl);
    url.search = new URLSearchParams({
      action: 'wbsearchentities',
      search: name,
      language,
      uselang: language,
      type: 'item',
      limit: String(limit),
      format: 'json',
    }).toString();
    const body = (await this.getJson(url)) as {
      search?: { id?: unknown; label?: unknown; description?: unknown }[];
      error?: { info?: string };
    };
    if (body.error)
      throw new WikidataUnavailableError(
        `Wikidata refused the search: ${body.error.info ?? 'error'}`,
      );
    if (!Array.isArray(body.search)) {
      throw new WikidataUnavailableError('Wikidata answered without a "search" list');
    }
    return body.search
      .filter((hit) => typeof hit.id === 'string' && /^Q\d+$/.test(hit.id))
      .map((hit) => ({
        id: hit.id as string,
        label: typeof hit.label === 'string' ? hit.label : (hit.id as string),
        ...(typeof hit.description === 'string' ? { description: hit.description } : {}),
      }));
  }

  /** GETs JSON, one request at a time, spaced, with time limit and retries. */
  private getJson(url: URL): Promise<unknown> {
    const run = this.queue.then(async () => {
      let failure: Retry | undefined;
      for (let attempt = 1; attempt <= this.attempts; attempt++) {
        if (failure) await this.clock.sleep(failure.afterMs ?? this.backoffMs * 2 ** (attempt - 2));
        const spacing = this.lastRequestAt + this.minIntervalMs - this.clock.now();
        if (spacing > 0) await this.clock.sleep(spacing);
        this.lastRequestAt = this.clock.now();
        const outcome = await this.attempt(url);
        if (!('error' in outcome)) return outcome.json;
        failure = outcome;
      }
      throw new WikidataUnavailableError(
        `${failure?.error ?? 'no answer'} (after ${this.attempts} attempts)`,
      );
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One request: its JSON, a failure worth retrying, or a thrown failure that is not. */
  private async attempt(url: URL): Promise<{ json: unknown } | Retry> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { 'user-agent': USER_AGENT, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return {
        error: timedOut
          ? `${url.origin} did not answer within ${this.timeoutMs} ms`
          : `${url.origin} could not be reached: ${(error as Error).message}`,
      };
    }
    if (response.ok) {
      try {
        return { json: (await response.json()) as unknown };
      } catch {
        throw new WikidataUnavailableError(`${url.origin} answered malformed JSON`);
      }
    }
    const error = `${url.origin} answered HTTP ${response.status}`;
    if (response.status !== 429 && response.status < 500) throw new WikidataUnavailableError(error);
    const retryAfter = Number(response.headers.get('retry-after'));
    return { error, ...(retryAfter > 0 ? { afterMs: retryAfter * 1000 } : {}) };
  }
}

interface Retry {
  error: string;
  /** The server's Retry-After, in ms. */
  afterMs?: number;
}
