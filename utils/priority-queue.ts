export type Priority = 'visible' | 'idle';

interface Job {
  start: () => void;
  priority: Priority;
}

export interface QueuedTask<T> {
  promise: Promise<T>;
  /** Moves the task ahead of idle work if it has not started yet. */
  promote(): void;
}

/**
 * Runs at most `concurrency` tasks at once; queued 'visible' tasks start before 'idle' ones,
 * each priority in arrival order.
 */
export class PriorityQueue {
  private running = 0;
  private readonly waiting: Record<Priority, Job[]> = { visible: [], idle: [] };

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  }

  get active(): number {
    return this.running;
  }

  get pending(): number {
    return this.waiting.visible.length + this.waiting.idle.length;
  }

  run<T>(task: () => Promise<T>, priority: Priority): QueuedTask<T> {
    let job!: Job;
    const promise = new Promise<T>((resolve, reject) => {
      job = {
        priority,
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
        const index = this.waiting.idle.indexOf(job);
        if (index < 0) return;
        this.waiting.idle.splice(index, 1);
        job.priority = 'visible';
        this.waiting.visible.push(job);
      },
    };
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const job = this.waiting.visible.shift() ?? this.waiting.idle.shift();
      if (!job) return;
      job.start();
    }
  }
}
