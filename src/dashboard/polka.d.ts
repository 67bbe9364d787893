// polka 0.5 ships no types: the small part of its API the dashboard uses.
declare module 'polka' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';

  type Handler = (req: IncomingMessage & { params: Record<string, string> }, res: ServerResponse, next: () => void) => void;

  interface Polka {
    server: Server | undefined;
    handler(req: IncomingMessage, res: ServerResponse): void;
    use(...handlers: Handler[]): Polka;
    get(path: string, ...handlers: Handler[]): Polka;
    post(path: string, ...handlers: Handler[]): Polka;
  }

  function polka(options?: { onNoMatch?: (req: IncomingMessage, res: ServerResponse) => void }): Polka;
  export = polka;
}
