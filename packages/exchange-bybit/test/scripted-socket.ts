/** A scripted stand-in for a `ws` socket, for connection tests without a network. */
import { EventEmitter } from 'node:events';

/** Opens on the next tick and records what is sent. */
export class ScriptedSocket extends EventEmitter {
  readyState = 0;
  readonly sent: string[] = [];
  constructor() {
    super();
    setTimeout(() => {
      this.readyState = 1;
      this.emit('open');
    }, 0);
  }
  /** Called for every message sent; tests answer from here. */
  onSend: ((data: string) => void) | undefined;
  send(data: string, callback?: (error?: Error) => void): void {
    this.sent.push(data);
    callback?.();
    this.onSend?.(data);
  }
  ping(): void {}
  close(code = 1000, reason = ''): void {
    this.terminate(code, reason);
  }
  terminate(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => this.emit('close', code, Buffer.from(reason)), 0);
  }
  /** Answer every subscribe with a success ack, as Bybit does. */
  ackAll(): void {
    for (const data of this.sent) {
      const message = JSON.parse(data) as { op: string; req_id?: string };
      if (message.op === 'subscribe') this.receive({ success: true, ret_msg: '', conn_id: 'x', req_id: message.req_id, op: 'subscribe' });
    }
  }
  receive(message: object): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}
