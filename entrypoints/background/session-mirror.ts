import { storage } from '#imports';

export interface SessionMirrorOptions<T> {
  key: `session:${string}`;
  /** Turns what storage holds (anything, possibly from an older build) into the value; never throws. */
  load(raw: unknown): T;
  save(value: T): unknown;
}

/**
 * A value the worker keeps in `storage.session` with a copy in memory. The copy is read once per
 * worker life; changes are written behind, coalesced into one write per burst, and `flush()`
 * resolves once everything changed so far is stored, so an answer given after it survives a
 * stopped worker.
 */
export class SessionMirror<T> {
  private value?: T;
  private loading?: Promise<T>;
  private dirty = false;
  private writing?: Promise<void>;
  private item?: ReturnType<typeof storage.defineItem<unknown>>;

  constructor(private readonly options: SessionMirrorOptions<T>) {}

  // Defined on first use: defining an item reads storage, which must not happen at import time.
  private storageItem() {
    this.item ??= storage.defineItem<unknown>(this.options.key);
    return this.item;
  }

  async get(): Promise<T> {
    if (this.value !== undefined) return this.value;
    this.loading ??= this.storageItem()
      .getValue()
      .catch(() => null)
      .then((raw) => {
        this.value ??= this.options.load(raw);
        return this.value;
      });
    return this.loading;
  }

  /** The value if it has been loaded already. */
  peek(): T | undefined {
    return this.value;
  }

  /**
   * Changes the value in memory (the callback may mutate it or return a new one) and schedules a
   * write. Once loaded, the change applies before the first await, so a read-decide-update done
   * right after `get()` cannot interleave with another.
   */
  async update(change: (value: T) => T | void): Promise<T> {
    const current = this.value ?? (await this.get());
    this.value = change(current) ?? current;
    this.markDirty();
    return this.value;
  }

  /** Replaces a loaded value at once (no await, so it cannot interleave) and schedules a write. */
  replace(value: T): void {
    this.value = value;
    this.markDirty();
  }

  /** Schedules a write of a value mutated in place. */
  markDirty(): void {
    this.dirty = true;
    this.writing ??= this.writeLoop();
  }

  flush(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  private async writeLoop(): Promise<void> {
    try {
      // Let the changes of the current burst gather before the first write.
      await Promise.resolve();
      while (this.dirty && this.value !== undefined) {
        this.dirty = false;
        await this.storageItem()
          .setValue(this.options.save(this.value))
          .catch((error: unknown) => console.warn(`Could not store ${this.options.key}`, error));
      }
    } finally {
      this.writing = undefined;
    }
  }
}
