// An implementer's work: branch position, the diff against its merge base (paged, file tree with
// +/- counts, unified or side by side), uncommitted changes, forecast, verify log and line comments.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { parse } from 'diff2html/lib-esm/diff-parser.js';
import { html } from './html.js';
import { shortRev } from './format.js';
import { DiffView, fileName } from './diff-view.js';
import { FileTree } from './file-tree.js';
import { CommentBox } from './comment-box.js';
import { CommentList, Verify } from './task-detail.js';
import { ReviewActions } from './review-actions.js';
import { currentApi, setState, useDashboard } from './state.js';

/** git/diff.ts puts this line between the branch's diff and the worktree's uncommitted changes. */
const UNCOMMITTED_HEADER = '# Uncommitted changes in the worktree (not on the branch yet):\n';

export function Work() {
  const s = useDashboard();
  const name = s.implementer;
  const work = s.work;
  const [pages, setPages] = useState({ text: '', nextOffset: 0, truncated: false });
  const [mode, setMode] = useState('unified');
  const [draft, setDraft] = useState(null);
  const head = work?.status.head;
  useEffect(() => {
    const empty = { text: '', nextOffset: 0, truncated: false };
    setPages(empty);
    loadPage(name, empty, setPages);
  }, [name, head]);
  const [committed, uncommitted] = useMemo(() => splitUncommitted(pages.text), [pages.text]);
  if (!work) return html`<p>Loading ${name}…</p>`;
  const { status, task, comments = [] } = work;
  return html`
    <div class="work" data-testid="work">
      <button class="close" aria-label="close" onClick=${() => setState({ implementer: null, work: null })}>×</button>
      <h2>${name} <small>${status.branch} ↑${status.ahead} ↓${status.behind} ${status.target ?? ''}</small></h2>
      <p class="path">${status.path ?? 'pushed to the shared remote'} · head <code>${shortRev(status.head)}</code></p>
      ${status.touchesProjectConfig && html`<p class="flag" data-testid="lockstep-flag">This branch changes .lockstep/ (project configuration): review it with care.</p>`}
      ${status.mergeable && !status.mergeable.clean && html`<p class="flag">Conflicts with ${status.target}: ${status.mergeable.conflicts.join(', ')}</p>`}
      ${(status.conflictsWith ?? []).map((c) => html`<p class="flag">Collides with ${c.implementer} on ${c.files.join(', ')}</p>`)}
      ${task && html`<p>Task #${task.id} <b>${task.title}</b> (${task.status})</p>`}
      ${task && html`<${ReviewActions} task=${task} />`}
      ${task?.verify && html`<${Verify} verify=${task.verify} />`}
      ${comments.length > 0 && html`<h4>Line comments</h4><${CommentList} comments=${comments} />`}
      <div class="diff-toolbar">
        <button class=${mode === 'unified' ? 'active' : ''} onClick=${() => setMode('unified')}>Unified</button>
        <button class=${mode === 'side' ? 'active' : ''} onClick=${() => setMode('side')}>Side by side</button>
        <small>Click a line to comment on it.</small>
      </div>
      ${draft && task && html`<${CommentBox} draft=${draft} task=${task} commit=${status.head} onDone=${() => setDraft(null)} />`}
      <${DiffSection} title="Committed on the branch" files=${committed} mode=${mode} comments=${comments} onLine=${setDraft} />
      ${pages.truncated && html`<button data-testid="more" disabled=${pages.loading} onClick=${() => loadPage(name, pages, setPages)}>Load more of the diff</button>`}
      ${uncommitted.length > 0 && html`<${DiffSection} title="Uncommitted in the worktree" files=${uncommitted} mode=${mode} comments=${[]} onLine=${() => {}} />`}
    </div>
  `;
}

function DiffSection({ title, files, mode, comments, onLine }) {
  if (files.length === 0) return html`<p>${title}: no changes.</p>`;
  return html`
    <h4>${title}</h4>
    <${FileTree} files=${files.map((file) => ({ name: fileName(file), added: file.addedLines, deleted: file.deletedLines }))} />
    <${DiffView} files=${files} mode=${mode} comments=${comments} onLine=${onLine} />
  `;
}

/** Appends the page after `loaded`; the button stays disabled meanwhile, so no page is fetched twice. */
async function loadPage(name, loaded, setPages) {
  setPages({ ...loaded, loading: true });
  try {
    const page = await currentApi().diff(name, loaded.nextOffset || undefined);
    setPages({ text: loaded.text + page.diff, nextOffset: page.nextOffset ?? 0, truncated: page.truncated === true });
  } catch (error) {
    setPages({ ...loaded, loading: false });
    setState({ error: `${error.code}: ${error.message}` });
  }
}

function splitUncommitted(text) {
  const at = text.indexOf(UNCOMMITTED_HEADER);
  const committed = at < 0 ? text : text.slice(0, at);
  const uncommitted = at < 0 ? '' : text.slice(at + UNCOMMITTED_HEADER.length);
  return [parse(committed), parse(uncommitted)];
}
