// A human's answer to a line-comment thread: reply to it, or mark it resolved (or open again). The
// page refreshes from the review_comment event these write, like any other change.

import { useState } from 'preact/hooks';
import { html } from './html.js';
import { currentApi, loaders, setState } from './state.js';

export function CommentActions({ comment }) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const act = async (run) => {
    setBusy(true);
    try {
      await run();
      setBody('');
      // Without waiting for the live feed: the person who acted sees the result at once.
      loaders.task();
      loaders.work();
    } catch (error) {
      setState({ error: `${error.code}: ${error.message}` });
    }
    setBusy(false);
  };
  const reply = (event) => {
    event.preventDefault();
    void act(() => currentApi().replyToComment(comment.id, body));
  };
  return html`
    <form class="comment-actions" data-testid="comment-actions" onSubmit=${reply}>
      <input aria-label="reply" placeholder="Reply…" value=${body} onInput=${(e) => setBody(e.target.value)} />
      <button type="submit" disabled=${busy || !body.trim()}>Reply</button>
      <button type="button" disabled=${busy} onClick=${() => act(() => currentApi().resolveComment(comment.id, !comment.resolved))}>
        ${comment.resolved ? 'Reopen' : 'Resolve'}
      </button>
    </form>
  `;
}
