// Entry point of the dashboard page.
import { render } from 'preact';
import { App } from './app.js';
import { html } from './html.js';
import { start } from './state.js';

render(html`<${App} />`, document.getElementById('app'));
start();
