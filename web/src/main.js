// Entry point of the dashboard page.
import { render } from 'preact';
import { App } from './app.js';
import { html } from './html.js';
import { start } from './state.js';

const root = document.getElementById('app');
// index.html shows a placeholder until this script runs; preact renders beside nodes it did not make.
root.replaceChildren();
render(html`<${App} />`, root);
start();
