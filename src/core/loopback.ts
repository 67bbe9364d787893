// Which host names stay on this machine: the HTTP server may listen there without a token, and a
// remote entry may use plain http there without sending a token across a network.

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
