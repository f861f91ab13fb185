declare module 'linkify-plus-plus-core' {
  interface Match {
    start: number;
    end: number;
    text: string;
    url: string;
  }
  export class Linkifier {
    constructor(
      root: Node,
      options: { matcher: { match(text: string): Iterable<Match> }; maxRunTime?: number; timeout?: number; embedImage?: boolean },
    );
    on(event: 'complete', listener: (elapsed: number) => void): void;
    on(event: 'error', listener: (error: unknown) => void): void;
    start(): void;
  }
}
