// The V8 flags every stdio server is started with (client entries, launched implementers, the demo).
// A stdio server serves one agent, which mostly waits on a model: its calls are short and spend their
// time in SQLite, git and the pipe, not in hot JavaScript. So memory comes first:
// --optimize-for-size keeps V8's young generation at 1 MiB per semi-space instead of letting it grow
// to 8 while the server loads; --max-opt=1 stops at V8's baseline compiler (Sparkplug), leaving out
// the optimizing ones (TurboFan, Maglev) whose compilations and code a short call never repays.
// Measured in README "Performance". They must be node's own arguments: set from inside the process
// (v8.setFlagsFromString) they come too late to size the heap.

export const SERVER_NODE_FLAGS: readonly string[] = ['--optimize-for-size', '--max-opt=1'];
