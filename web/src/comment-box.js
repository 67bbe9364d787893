// The box that opens under a clicked diff line: a comment stored on the task with file, side, line, the
// quoted code line and the reviewed commit, which the implementer then reads over MCP.

import { useState } from 'preact/hooks';
import { html } from './html.js';
import { currentApi, loaders, setState } from './state.js';

export function CommentBox({ draft, task, commit, onDone }) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await currentApi().comment(task.id, { ...draft, body, commit });
      onDone();
      loaders.work();
    } catch (error) {
      setState({ error: `${error.code}: ${error.message}` });
    }
    setBusy(false);
  };
  return html`
    <form class="comment-box" data-testid="comment-box" onSubmit=${submit}>
      <p><b>${draft.file}</b> line ${draft.line} (${draft.side})</p>
      <code class="quote">${draft.quote}</code>
      <textarea aria-label="comment" required value=${body} onInput=${(e) => setBody(e.target.value)}></textarea>
      <button type="submit" disabled=${busy || !body.trim()}>Comment</button>
      <button type="button" onClick=${onDone}>Cancel</button>
    </form>
  `;
}
