/** A scriptable stand-in for a `ws` WebSocket, so timer logic can run under vitest fake timers. */
import { EventEmitter } from 'node:events';
import type { SocketFactory, WebSocketLike } from '../../src/ws/index.js';

export class FakeSocket extends EventEmitter implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  pings = 0;
  constructor(readonly url: string) {
    super();
  }
  send(data: string): void {
    this.sent.push(data);
  }
  ping(): void {
    this.pings += 1;
  }
  close(code = 1000, reason = ''): void {
    this.drop(code, reason);
  }
  terminate(): void {
    this.drop(1006, '');
  }
  // --- driven by the test ---
  open(): void {
    this.readyState = 1;
    this.emit('open');
  }
  receive(text: string): void {
    this.emit('message', Buffer.from(text), false);
  }
  pong(): void {
    this.emit('pong', Buffer.alloc(0));
  }
  drop(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.emit('close', code, Buffer.from(reason)));
  }
}

/** A factory that keeps every socket it made; `last()` is the newest. */
export function fakeFactory(): SocketFactory & { sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  const create: SocketFactory = (url) => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  };
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket created yet');
    return socket;
  };
  return Object.assign(create, { sockets, last });
}
