import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import type { Envelope } from '@/utils/protocol';
import { requestsTo, saveMockSettings } from './lookup-stack';
import { fault } from './tally';
import { senders, startWorker, type Worker } from './worker-harness';

let api: MockApi;

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type LookupAnswer = Envelope<{ results: Record<string, { status: string }> }>;

interface Burst {
  /** Per tab, the ID chunks it asks for one after another. */
  tabs: string[][][];
  killDelays: number[];
}

/**
 * Runs a burst of lookups from several tabs while the worker is killed after each delay and a
 * new one started. Askers do what the content script does: ask again when the worker went away.
 */
async function burstWithKills({ tabs, killDelays }: Burst) {
  fakeBrowser.reset();
  await saveMockSettings(api, { cacheTtlSeconds: 300 });
  let current: Worker = await startWorker();
  const saved = await current.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options);
  expect(saved).toMatchObject({ ok: true, value: { ok: true } });
  api.clearRequests();

  const kills: { at: number; delivered: Set<string> }[] = [];
  const delivered = new Set<string>();

  async function ask(ids: string[], tabId: number): Promise<LookupAnswer> {
    for (let attempt = 0; attempt <= killDelays.length; attempt++) {
      const worker = current;
      try {
        const answer = (await worker.send({ type: 'lookup', ids, priority: 'visible' }, senders.content(tabId))) as LookupAnswer;
        if (answer.ok) for (const id of ids) delivered.add(id);
        return answer;
      } catch {
        while (current === worker || !current.isAlive()) await sleep(1);
      }
    }
    throw new Error(`Tab ${tabId} was never answered`);
  }

  const killer = (async () => {
    for (const delay of killDelays) {
      await sleep(delay);
      kills.push({ at: Date.now(), delivered: new Set(delivered) });
      current.kill();
      fault();
      current = await startWorker();
    }
  })();

  const answers = await Promise.all(
    tabs.map(async (chunks, tab) => {
      const out: { ids: string[]; answer: LookupAnswer }[] = [];
      for (const ids of chunks) out.push({ ids, answer: await ask(ids, 100 + tab) });
      return out;
    }),
  );
  await killer;
  return { answers: answers.flat(), kills, worker: current };
}

function idsOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const burstArb = (pool: () => string[], chunk = { minLength: 1, maxLength: 5 }) =>
  fc.record({
    tabs: fc.array(fc.array(fc.array(fc.nat({ max: 29 }), chunk), { minLength: 1, maxLength: 3 }), {
      minLength: 2,
      maxLength: 4,
    }),
    killDelays: fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 3 }),
  }).map(({ tabs, killDelays }) => ({ tabs: tabs.map((chunks) => chunks.map((chunk) => [...new Set(chunk.map((i) => pool()[i % pool().length]!))])), killDelays }));

describe('the worker killed at random points during a burst from several tabs', { timeout: 120_000 }, () => {
  // Fewer distinct IDs than the list-fill threshold (20): one call per ID, so calls can be counted per ID.
  const pool = () => [...api.connections.slice(60, 72).map((c) => c.host_organization_id), ...api.unknownOrgIds.slice(20, 23)];

  it('fast-check: every asker is answered and no ID is fetched again once an answer was given', async () => {
    await fc.assert(
      fc.asyncProperty(burstArb(pool), async (burst) => {
        const { answers, kills, worker } = await burstWithKills(burst);
        for (const { ids, answer } of answers) {
          expect(answer.ok).toBe(true);
          if (!answer.ok) continue;
          for (const id of ids) expect(answer.value.results[id]?.status).toMatch(/^(connected|disconnected|archived|not_connected)$/);
        }
        const gets = requestsTo(api, '/host-connections/');
        for (const kill of kills) {
          const refetched = gets.filter((r) => r.time > kill.at && kill.delivered.has(idsOf(r.path)));
          expect(refetched.map((r) => idsOf(r.path))).toEqual([]);
        }
        const perId = new Map<string, number>();
        for (const request of gets) perId.set(idsOf(request.path), (perId.get(idsOf(request.path)) ?? 0) + 1);
        for (const count of perId.values()) expect(count).toBeLessThanOrEqual(1 + kills.length);

        // Once the dust settles, everything asked is cached: asking again calls nothing.
        const before = api.requests.length;
        const all = [...new Set(burst.tabs.flat(2))];
        const again = (await worker.send({ type: 'lookup', ids: all, priority: 'idle' }, senders.content(200))) as LookupAnswer;
        expect(again.ok).toBe(true);
        expect(api.requests.length).toBe(before);
      }),
      { numRuns: 12 },
    );
  });

  it('fast-check: with the list fill (many IDs at once), every asker is still answered and nothing is asked twice after', async () => {
    const wide = () => api.connections.slice(100, 130).map((c) => c.host_organization_id);
    let listFills = 0;
    await fc.assert(
      fc.asyncProperty(burstArb(wide, { minLength: 12, maxLength: 30 }), async (burst) => {
        const { answers, worker } = await burstWithKills(burst);
        if (api.requests.some((r) => r.path.endsWith('/host-connections'))) listFills += 1;
        for (const { ids, answer } of answers) {
          expect(answer.ok).toBe(true);
          if (answer.ok) for (const id of ids) expect(answer.value.results[id]?.status).toMatch(/^(connected|disconnected|archived)$/);
        }
        const before = api.requests.length;
        const again = (await worker.send({ type: 'lookup', ids: [...new Set(burst.tabs.flat(2))], priority: 'idle' }, senders.content(200))) as LookupAnswer;
        expect(again.ok).toBe(true);
        expect(api.requests.length).toBe(before);
      }),
      { numRuns: 8 },
    );
    expect(listFills).toBeGreaterThan(0);
  });
});
