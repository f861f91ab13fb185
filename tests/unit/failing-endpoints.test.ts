import { describe, expect, it } from 'vitest';
import { FAILING_MEMORY_MS, FailingEndpoints, endpointOf } from '@/utils/failing-endpoints';

const LIST = 'https://api.example.com/v1-beta/host-connections';

describe('FailingEndpoints', () => {
  it('keys an endpoint by origin and path, as the browser throttle does', () => {
    expect(endpointOf(`${LIST}?statuses=connected&limit=1`)).toBe(LIST);
    expect(endpointOf(`${LIST}#x`)).toBe(LIST);
    expect(endpointOf(`${LIST}/6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01`)).not.toBe(LIST);
  });

  it('holds back an endpoint after a 5xx, whatever the query, until another answer or the memory ends', () => {
    const memory = new FailingEndpoints();
    memory.answered(`${LIST}?limit=100&offset=0`, 500, 1_000);
    expect(memory.heldBack(`${LIST}?limit=1&offset=0`, 2_000)).toBe(true);
    expect(memory.heldBack(`${LIST}/6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01`, 2_000)).toBe(false);
    expect(memory.heldBack(LIST, 1_000 + FAILING_MEMORY_MS)).toBe(false);

    memory.answered(LIST, 404, 3_000);
    expect(memory.heldBack(LIST, 3_001)).toBe(false);
  });

  it('does not hold back an endpoint that only answered below 500', () => {
    const memory = new FailingEndpoints();
    memory.answered(LIST, 429, 1_000);
    memory.answered(LIST, 200, 1_000);
    expect(memory.heldBack(LIST, 1_001)).toBe(false);
  });

  it('stays bounded: the oldest endpoints are forgotten first', () => {
    const memory = new FailingEndpoints();
    for (let i = 0; i < 600; i++) memory.answered(`${LIST}/${i}`, 503, i);
    expect(memory.heldBack(`${LIST}/0`, 700)).toBe(false);
    expect(memory.heldBack(`${LIST}/599`, 700)).toBe(true);
  });
});
