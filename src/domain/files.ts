// Reading and writing files for agents: project files (file_*) under the path policy and another
// agent's locks, and per-project artifacts (artifact_*) confined to their own folder.

import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { Config } from '../config.js';
import { displayPath, isInside, resolveInsideFolder, resolvePath } from '../policy/paths.js';
import type { LockRow } from '../store/rows.js';
import type { Caller, DomainContext, Project } from './context.js';
import { DomainError } from '../core/errors.js';
import { fileError } from './file-errors.js';
import { lockHeld } from './lock-errors.js';
import { protectedPathsOf, refuseProtected, type Access } from './protected-paths.js';
import { pathPolicyFor } from './worktree-settings.js';

export const DEFAULT_READ_BYTES = 256 * 1024;
export const MAX_READ_BYTES = 4 * 1024 * 1024;
/** Its base64 form (4/3 as long) must fit in one stdio message of MAX_MESSAGE_BYTES (8 MiB). */
export const MAX_WRITE_BYTES = 5 * 1024 * 1024;

export type FileEncoding = 'utf8' | 'base64';

export interface ReadRequest {
  path: string;
  encoding?: FileEncoding;
  maxBytes?: number;
  /** Same as encoding "base64": for files that are not text. */
  binary?: boolean;
}

export interface FileContent {
  path: string;
  /** Size of the whole file; content holds at most maxBytes of it. */
  bytes: number;
  content: string;
  encoding?: 'base64';
  truncated?: true;
}

export interface WriteRequest {
  path: string;
  content: string;
  /** How `content` is encoded: base64 for binary data. */
  encoding?: FileEncoding;
  mode?: 'overwrite' | 'append';
  createDirs?: boolean;
}

export interface WriteOutcome {
  path: string;
  bytes: number;
}

/** The one thing files need from the lock service (kept structural so the two stay decoupled). */
export interface LockHolderLookup {
  holderOf(caller: Caller, path: string): Promise<LockRow | undefined>;
}

export class FileService {
  constructor(
    private readonly context: DomainContext,
    private readonly config: Config,
    private readonly locks: LockHolderLookup,
  ) {}

  async read(caller: Caller, request: ReadRequest): Promise<FileContent> {
    const { real, display } = await this.resolveProjectPath(caller, request.path);
    await this.refuseProtected(caller, real, display, 'read');
    return readFileSlice(real, display, request);
  }

  /** Refuses with LOCK_HELD when another agent holds a lock covering the path. */
  async write(caller: Caller, request: WriteRequest): Promise<WriteOutcome> {
    const { real, display, projectRelative } = await this.resolveProjectPath(caller, request.path);
    await this.refuseProtected(caller, real, display, 'write');
    if (projectRelative !== undefined) {
      const lock = await this.locks.holderOf(caller, projectRelative);
      if (lock) throw lockHeld(lock, display);
    }
    return writeFileContent(real, display, request);
  }

  async readArtifact(caller: Caller, request: ReadRequest): Promise<FileContent> {
    const real = await resolveInsideFolder(request.path, this.artifactsFolder(caller.project));
    const display = posix.normalize(request.path);
    await this.refuseProtected(caller, real, display, 'read');
    return readFileSlice(real, display, request);
  }

  async writeArtifact(caller: Caller, request: WriteRequest): Promise<WriteOutcome> {
    const folder = this.artifactsFolder(caller.project);
    await mkdir(folder, { recursive: true });
    const real = await resolveInsideFolder(request.path, folder);
    const display = posix.normalize(request.path);
    await this.refuseProtected(caller, real, display, 'write');
    return writeFileContent(real, display, request);
  }

  /** One folder per project, named so a human can tell which project it belongs to. */
  artifactsFolder(project: Project): string {
    const readable = basename(project.id).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'project';
    const hash = createHash('sha256').update(project.id).digest('hex').slice(0, 12);
    return join(this.context.settings.artifactsDir, `${readable}-${hash}`);
  }

  private async resolveProjectPath(caller: Caller, input: string) {
    const root = await realpath(caller.project.root);
    const real = await resolvePath(input, root, await pathPolicyFor(this.config, caller.project));
    // Locks only exist for paths inside the project; outside it (open mode) there is nothing to check.
    const projectRelative = isInside(real, root) ? displayPath(real, root) : undefined;
    return { real, display: projectRelative ?? real, projectRelative };
  }

  /** Git internals and (strict) the project config, derived afresh for this one call. */
  private async refuseProtected(caller: Caller, real: string, display: string, access: Access): Promise<void> {
    refuseProtected(real, display, await protectedPathsOf(caller.project), access, this.config.mode === 'strict');
  }
}

async function readFileSlice(real: string, display: string, request: ReadRequest): Promise<FileContent> {
  const info = await stat(real).catch((error: unknown) => {
    throw fileError(error, display);
  });
  // Only regular files: a FIFO or device would block or never end.
  if (!info.isFile()) throw new DomainError('INVALID_INPUT', `${display} is not a regular file`, 'Pass the path of a file.');
  const limit = Math.min(request.maxBytes ?? DEFAULT_READ_BYTES, MAX_READ_BYTES);
  const handle = await open(real, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(limit, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const truncated = info.size > bytesRead;
    const base64 = request.binary === true || request.encoding === 'base64';
    const data = buffer.subarray(0, base64 || !truncated ? bytesRead : utf8Boundary(buffer, bytesRead));
    return {
      path: display,
      bytes: info.size,
      content: data.toString(base64 ? 'base64' : 'utf8'),
      ...(base64 && { encoding: 'base64' as const }),
      ...(truncated && { truncated: true as const }),
    };
  } finally {
    await handle.close();
  }
}

/** Where to cut so a truncated UTF-8 text does not end inside a character. */
function utf8Boundary(buffer: Buffer, end: number): number {
  if (end === 0) return 0;
  let start = end - 1;
  while (start > 0 && end - start < 4 && (buffer[start]! & 0xc0) === 0x80) start--;
  const lead = buffer[start]!;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return start + length > end ? start : end;
}

async function writeFileContent(real: string, display: string, request: WriteRequest): Promise<WriteOutcome> {
  const bytes = decodeContent(request.content, request.encoding ?? 'utf8');
  if (bytes.length > MAX_WRITE_BYTES) {
    throw new DomainError('FILE_TOO_LARGE', `${bytes.length} bytes is more than the ${MAX_WRITE_BYTES} a write may hold`, 'Write the file in parts with mode "append".');
  }
  await ensureParent(real, display, request.createDirs === true);
  try {
    if (request.mode === 'append') await appendWhole(real, bytes);
    else await replaceAtomically(real, bytes);
  } catch (error) {
    throw fileError(error, display);
  }
  return { path: display, bytes: bytes.length };
}

function decodeContent(content: string, encoding: FileEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(content, 'utf8');
  const compact = content.replace(/\s+/g, '');
  // Buffer.from silently skips bad characters; refuse instead of writing something else.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new DomainError('INVALID_INPUT', 'content is not valid base64', 'Encode the bytes as standard base64, or use encoding "utf8" for text.');
  }
  return Buffer.from(compact, 'base64');
}

async function ensureParent(real: string, display: string, createDirs: boolean): Promise<void> {
  const parent = dirname(real);
  const info = await stat(parent).catch(() => undefined);
  if (info?.isDirectory()) return;
  if (info) throw new DomainError('INVALID_INPUT', `the parent of ${display} is not a directory`, 'Choose a path whose parent is a directory.');
  if (!createDirs) {
    throw new DomainError('PATH_NOT_FOUND', `the directory of ${display} does not exist`, 'Pass createDirs: true to create it, or fix the path.');
  }
  await mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw fileError(error, display);
  });
}

/** An append that fails part-way (a full disk) is cut back, so a retry does not repeat what got through. */
async function appendWhole(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'a');
  try {
    const before = await handle.stat();
    await handle.appendFile(bytes).catch(async (error: unknown) => {
      if (before.isFile()) await handle.truncate(before.size).catch(() => undefined);
      throw error;
    });
  } finally {
    await handle.close();
  }
}

/** Readers see the old content or the new one, never half of it: write a sibling, then rename over. */
async function replaceAtomically(path: string, bytes: Buffer): Promise<void> {
  // Short and fixed-length, not derived from the name: a 255-byte name must still get a temp sibling.
  const temp = join(dirname(path), `.lockstep-${randomBytes(6).toString('hex')}.tmp`);
  const existing = await stat(path).catch(() => undefined);
  try {
    // "wx" never follows a symlink planted at the temp name.
    await writeFile(temp, bytes, { flag: 'wx' });
    if (existing) await chmod(temp, existing.mode & 0o7777);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
