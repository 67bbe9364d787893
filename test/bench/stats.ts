// Small statistics and timing helpers shared by the benchmarks.

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

export function format(value: number, unit: string): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ${unit}`;
}

export function row(label: string, ours: string, floor: string, ratio: number | null): string {
  return `| ${label} | ${ours} | ${floor} | ${ratio === null ? '—' : `${ratio.toFixed(2)}×`} |`;
}

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
