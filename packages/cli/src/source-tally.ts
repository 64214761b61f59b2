/**
 * What `liqmon record` tells at the end: per source, the frames it recorded and whether it ever
 * connected. A source's health says whether it is connected *now*; sampling it a few times a second
 * (and counting any frame as proof) turns that into "connected at some point", which is what decides
 * the exit code: a quiet feed that connected is a success, a source that never reached its exchange
 * is not.
 */

/** The part of a running source the tally reads. */
export interface TalliedSource {
  readonly name: string;
  health(): { connected: boolean };
}

/** How often connection state is sampled. */
const SAMPLE_EVERY_MS = 200;

export class SourceTally {
  readonly #sources: readonly TalliedSource[];
  readonly #frames = new Map<string, number>();
  readonly #connected = new Set<string>();
  readonly #onFirstConnect: (name: string) => void;
  #timer: NodeJS.Timeout | undefined;

  /** `onFirstConnect` is called once per source, the first time it is seen connected. */
  constructor(sources: readonly TalliedSource[], onFirstConnect: (name: string) => void = () => {}) {
    this.#sources = sources;
    this.#onFirstConnect = onFirstConnect;
    for (const source of sources) this.#frames.set(source.name, 0);
  }

  /** Begin sampling connection state. */
  watch(): void {
    this.#timer ??= setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  /** Stop sampling, after one last look. */
  unwatch(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.sample();
  }

  /** Count one recorded frame of `source`: a frame also proves the source connected. */
  frame(source: string): void {
    this.#frames.set(source, (this.#frames.get(source) ?? 0) + 1);
    this.#markConnected(source);
  }

  /** Read every source's connection state now. */
  sample(): void {
    for (const source of this.#sources) {
      let connected = false;
      try {
        connected = source.health().connected;
      } catch {
        // A plugin's health() that throws says nothing about the connection; frames still count.
      }
      if (connected) this.#markConnected(source.name);
    }
  }

  #markConnected(name: string): void {
    if (this.#connected.has(name)) return;
    this.#connected.add(name);
    this.#onFirstConnect(name);
  }

  /** Frames recorded in all. */
  get total(): number {
    let sum = 0;
    for (const count of this.#frames.values()) sum += count;
    return sum;
  }

  /** True when at least one source connected at some point. */
  get anyConnected(): boolean {
    return this.#connected.size > 0;
  }

  /** One entry per source, in config order. */
  summary(): { name: string; frames: number; connected: boolean }[] {
    return this.#sources.map((s) => ({ name: s.name, frames: this.#frames.get(s.name) ?? 0, connected: this.#connected.has(s.name) }));
  }
}
