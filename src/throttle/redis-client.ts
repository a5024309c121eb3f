// The part of an ioredis client the throttle uses, typed here so that ioredis (an optional peer) stays out of the published types.

/** A subscriber connection (what `duplicate()` returns). @internal */
export interface ThrottleSubscriber {
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error' | 'ready', listener: () => void): unknown;
  subscribe(channel: string): Promise<unknown>;
  disconnect(): void;
}

/** An ioredis client (`new Redis(url)`), as the throttle sees it. @internal */
export interface ThrottleRedisClient {
  /** ioredis's connection state; `ready` when commands are answered. */
  readonly status: string;
  eval(script: string, numberOfKeys: number, ...args: string[]): Promise<unknown>;
  duplicate(): ThrottleSubscriber;
}
