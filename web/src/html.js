// htm bound to preact: templates are tagged literals, so every interpolated value is a text node or an
// attribute, never parsed as HTML. This is what keeps agent-written text inert.
export { html } from 'htm/preact';
