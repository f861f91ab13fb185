/**
 * One call per key at a time: callers asking for a key already in flight share its promise
 * (Go's singleflight). The key is released when the call settles, so a later ask starts anew.
 */
export class SingleFlight<V> {
  private readonly flights = new Map<string, Promise<V>>();

  run(key: string, call: () => Promise<V>): Promise<V> {
    const current = this.flights.get(key);
    if (current) return current;
    const flight = Promise.resolve()
      .then(call)
      .finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
    this.flights.set(key, flight);
    return flight;
  }

  /** The promise of a call in flight, if any. */
  current(key: string): Promise<V> | undefined {
    return this.flights.get(key);
  }

  get size(): number {
    return this.flights.size;
  }
}
