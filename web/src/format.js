// Small display helpers shared by the views: times and durations as people read them.

export function ago(ms, now = Date.now()) {
  if (!ms) return '';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}

export function until(ms, now = Date.now()) {
  const seconds = Math.round((ms - now) / 1000);
  if (seconds <= 0) return 'expired';
  return seconds < 120 ? `in ${seconds}s` : `in ${Math.round(seconds / 60)}m`;
}

export const time = (ms) => (ms ? new Date(ms).toLocaleTimeString() : '');
export const shortRev = (rev) => (rev ? String(rev).slice(0, 10) : '');
