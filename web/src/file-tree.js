// The changed files as a tree of directories, each file with its +/- counts; .lockstep/ is flagged.

import { html } from './html.js';

export function FileTree({ files }) {
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  let previous = [];
  const rows = [];
  for (const file of sorted) {
    const parts = file.name.split('/');
    const dirs = parts.slice(0, -1);
    // Print the directories from the first one where this path leaves the previous file's path.
    const same = dirs.findIndex((dir, depth) => previous[depth] !== dir);
    const from = same < 0 ? dirs.length : same;
    dirs.slice(from).forEach((dir, index) => rows.push(html`<li class="dir" style=${{ paddingLeft: `${from + index}em` }}>${dir}/</li>`));
    previous = dirs;
    rows.push(html`<li class=${file.name.startsWith('.lockstep/') ? 'file flagged' : 'file'} style=${{ paddingLeft: `${dirs.length}em` }} data-file=${file.name}>
      <span class="name">${parts[parts.length - 1]}</span>
      <span class="plus">+${file.added}</span> <span class="minus">−${file.deleted}</span>
      ${file.name.startsWith('.lockstep/') && html` <span class="badge">project config</span>`}
    </li>`);
  }
  return html`<ul class="file-tree" data-testid="file-tree">${rows}</ul>`;
}
