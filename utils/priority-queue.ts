export type Priority = 'visible' | 'idle';

/** A promoted task waits in a lane of its own, ahead of both priorities. */
type Lane = Priority | 'promoted';

interface Job {
  start: () => void;
  lane: Lane;
}

export interface QueuedTask<T> {
  promise: Promise<T>;
  /** Moves the task to the front of the queue if it has not started yet: it is what the user looks at now. */
  promote(): void;
}

/**
 * Runs at most `concurrency` tasks at once; queued 'visible' tasks start before 'idle' ones,
 * each priority in arrival order, and promoted tasks, in the order they were promoted, before both.
 */
export class PriorityQueue {
  private running = 0;
  private readonly waiting: Record<Lane, Job[]> = { promoted: [], visible: [], idle: [] };

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  }

  get active(): number {
    return this.running;
  }

  get pending(): number {
    return this.waiting.promoted.length + this.waiting.visible.length + this.waiting.idle.length;
  }

  run<T>(task: () => Promise<T>, priority: Priority): QueuedTask<T> {
    let job!: Job;
    const promise = new Promise<T>((resolve, reject) => {
      job = {
        lane: priority,
        start: () => {
          this.running++;
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              this.next();
            });
        },
      };
    });
    this.waiting[priority].push(job);
    this.next();
    return {
      promise,
      promote: () => {
        if (job.lane === 'promoted') return;
        const queue = this.waiting[job.lane];
        const index = queue.indexOf(job);
        if (index < 0) return;
        queue.splice(index, 1);
        job.lane = 'promoted';
        this.waiting.promoted.push(job);
      },
    };
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const job = this.waiting.promoted.shift() ?? this.waiting.visible.shift() ?? this.waiting.idle.shift();
      if (!job) return;
      job.start();
    }
  }
}
