import { describe, expect, it, vi } from 'vitest';
import { SingleFlight } from '@/utils/single-flight';

describe('SingleFlight', () => {
  it('runs one call for concurrent asks of the same key', async () => {
    const flights = new SingleFlight<number>();
    let release!: (value: number) => void;
    const call = vi.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const asks = Array.from({ length: 10 }, () => flights.run('k', call));
    await Promise.resolve();
    release(7);
    expect(await Promise.all(asks)).toEqual(Array(10).fill(7));
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('keeps keys apart and releases a key once settled', async () => {
    const flights = new SingleFlight<string>();
    const call = vi.fn(async () => 'x');
    await Promise.all([flights.run('a', call), flights.run('b', call)]);
    expect(call).toHaveBeenCalledTimes(2);
    expect(flights.size).toBe(0);
    await flights.run('a', call);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('shares a failure and lets the next ask try again', async () => {
    const flights = new SingleFlight<number>();
    const failing = vi.fn(async () => {
      throw new Error('down');
    });
    await expect(Promise.all([flights.run('k', failing), flights.run('k', failing)])).rejects.toThrow('down');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await flights.run('k', async () => 1)).toBe(1);
  });
});
