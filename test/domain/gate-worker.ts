// A stand-in for a server process: runs one project command (a gate) through the real runner until it
// is killed. The command records its own pid in the file named by the first argument.

import { runProjectCommand } from '../../src/domain/project-commands.js';

const [pidFile] = process.argv.slice(2);
const program = `'${process.execPath}' -e "require('fs').writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)" '${pidFile}'`;
await runProjectCommand({ commandMode: 'open', commandAllow: [] }, program, process.cwd());
