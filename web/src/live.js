// The live feed: a WebSocket that asks for the event log after the last sequence number this page has
// applied, and after a drop reconnects from that same number, so nothing is missed and nothing reloads.

const RETRY_MS = [250, 500, 1000, 2000, 5000];

export function connectLive({ project, seq, onEvents, onState }) {
  let lastSeq = seq;
  let socket = null;
  let attempt = 0;
  let stopped = false;
  let timer = null;

  const open = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = new URLSearchParams({ project, after: String(lastSeq) });
    socket = new WebSocket(`${scheme}://${location.host}/api/live?${query}`);
    socket.onopen = () => {
      attempt = 0;
      onState('live');
    };
    socket.onmessage = (message) => {
      const events = parseEvents(message.data).filter((event) => event.seq > lastSeq);
      if (events.length === 0) return;
      lastSeq = events[events.length - 1].seq;
      onEvents(events, lastSeq);
    };
    socket.onclose = () => {
      if (stopped) return;
      onState('reconnecting');
      timer = setTimeout(open, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
    };
  };
  open();

  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
    get seq() {
      return lastSeq;
    },
  };
}

/** One message carries one event or a batch; both are accepted so the server may batch a backlog. */
function parseEvents(data) {
  try {
    const parsed = JSON.parse(data);
    const events = Array.isArray(parsed) ? parsed : Array.isArray(parsed.events) ? parsed.events : [parsed];
    return events.filter((event) => typeof event?.seq === 'number').sort((a, b) => a.seq - b.seq);
  } catch {
    return [];
  }
}
