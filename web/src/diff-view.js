// One diff rendered by diff2html (unified or side by side, highlighted). diff2html escapes file names
// and code lines itself; this module only reads back which line a click landed on.

import { useEffect, useRef } from 'preact/hooks';
import { Diff2HtmlUI } from 'diff2html/lib-esm/ui/js/diff2html-ui-base.js';
import { html } from './html.js';
import { hljs } from './highlight.js';

/** Files with more changed lines than this are collapsed behind diff2html's "too big" notice. */
const MAX_CHANGES_PER_FILE = 2000;

export function DiffView({ files, mode, comments, onLine }) {
  const target = useRef(null);
  useEffect(() => {
    const config = {
      outputFormat: mode === 'side' ? 'side-by-side' : 'line-by-line',
      drawFileList: false,
      matching: 'none',
      diffMaxChanges: MAX_CHANGES_PER_FILE,
      fileContentToggle: true,
      stickyFileHeaders: false,
      synchronisedScroll: true,
    };
    new Diff2HtmlUI(target.current, files, config, hljs).draw();
    markCommentedLines(target.current, files, comments ?? []);
  }, [files, mode, comments]);
  const click = (event) => {
    const picked = pickLine(event.target, files);
    if (picked) onLine(picked);
  };
  return html`<div class="diff" ref=${target} onClick=${click}></div>`;
}

/** The file, side and line number a click in the rendered diff points at, with the line's text. */
function pickLine(element, files) {
  const row = element.closest('tr');
  const wrapper = element.closest('.d2h-file-wrapper');
  if (!row || !wrapper) return null;
  const file = files[[...wrapper.parentElement.children].indexOf(wrapper)];
  const sideTable = element.closest('.d2h-file-side-diff');
  const text = row.querySelector('.d2h-code-line-ctn')?.textContent ?? '';
  if (sideTable) {
    const side = [...wrapper.querySelectorAll('.d2h-file-side-diff')].indexOf(sideTable) === 0 ? 'old' : 'new';
    const line = Number(row.querySelector('.d2h-code-side-linenumber')?.textContent.trim());
    return line > 0 && file ? { file: fileName(file, side), side, line, quote: text } : null;
  }
  const newLine = Number(row.querySelector('.line-num2')?.textContent.trim());
  const oldLine = Number(row.querySelector('.line-num1')?.textContent.trim());
  if (!file || !(newLine > 0 || oldLine > 0)) return null;
  return newLine > 0 ? { file: fileName(file, 'new'), side: 'new', line: newLine, quote: text } : { file: fileName(file, 'old'), side: 'old', line: oldLine, quote: text };
}

export const fileName = (file, side = 'new') => (side === 'old' || file.newName === '/dev/null' ? file.oldName : file.newName);

function markCommentedLines(root, files, comments) {
  const wrappers = root.querySelectorAll('.d2h-file-wrapper');
  for (const comment of comments) {
    const index = files.findIndex((file) => fileName(file, comment.side) === comment.file);
    const wrapper = wrappers[index];
    if (!wrapper) continue;
    for (const row of wrapper.querySelectorAll('tr')) {
      const picked = pickLine(row.querySelector('td') ?? row, files);
      if (picked && picked.side === comment.side && picked.line === comment.line) row.classList.add('has-comment');
    }
  }
}
