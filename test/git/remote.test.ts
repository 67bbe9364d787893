import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitFiles, git, makeBareRemote, makeRepo, makeTempDir, removeTempDirs } from '../../fixtures/git.js';
import { cloneForImplementer } from '../../git/clone.js';
import { openGit } from '../../git/exec.js';
import { landCommit } from '../../git/land.js';
import { fetchedImplementerRef, fetchImplementerBranch, pushWithLease, remoteBranchHead, RemoteUrlError } from '../../git/remote.js';
import { readRepository } from '../../git/repository.js';
import { WorktreeBlockedError } from '../../git/worktrees.js';
import { hasMergeHead, head } from './branch-fixture.js';

afterAll(removeTempDirs);

/** The landing host's repository (main checked out), its shared bare remote, and ada's clone of it. */
async function project() {
  const server = makeRepo({ 'a.txt': 'a\n' });
  const remote = makeBareRemote(server);
  const clone = await cloneForImplementer({ url: remote, dir: join(makeTempDir(), 'ada'), name: 'ada' });
  return { server, remote, clone: clone.dir, joined: clone };
}

describe('cloneForImplementer', () => {
  it('clones the remote and checks out lockstep/<name> at the remote HEAD, ready to push', async () => {
    const { server, remote, clone, joined } = await project();

    expect(joined).toMatchObject({ branch: 'lockstep/ada', head: head(server, 'main'), resumed: false });
    expect(git(clone, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/lockstep/ada');
    commitFiles(clone, { 'b.txt': 'b\n' });
    git(clone, ['push', '--quiet']);
    expect(git(remote, ['rev-parse', 'lockstep/ada'])).toBe(head(clone));
  });

  it('resumes the branch the implementer pushed before', async () => {
    const { remote, clone } = await project();
    const pushed = commitFiles(clone, { 'b.txt': 'b\n' });
    git(clone, ['push', '--quiet']);

    const again = await cloneForImplementer({ url: remote, dir: join(makeTempDir(), 'ada2'), name: 'ada' });

    expect(again).toMatchObject({ head: pushed, resumed: true });
    expect(head(again.dir)).toBe(pushed);
  });

  it('refuses a directory that is not empty and leaves it alone', async () => {
    const { remote } = await project();
    const dir = makeTempDir();
    writeFileSync(join(dir, 'keep.txt'), 'mine\n');

    await expect(cloneForImplementer({ url: remote, dir, name: 'ada' })).rejects.toBeInstanceOf(WorktreeBlockedError);
    expect(existsSync(join(dir, '.git'))).toBe(false);
  });
});

describe('fetchImplementerBranch', () => {
  it('fetches the pushed commit, not what the clone has committed or changed since', async () => {
    const { server, remote, clone } = await project();
    const pushed = commitFiles(clone, { 'b.txt': 'b\n' });
    git(clone, ['push', '--quiet']);
    commitFiles(clone, { 'c.txt': 'later\n' });
    writeFileSync(join(clone, 'a.txt'), 'dirty\n');

    expect(await fetchImplementerBranch(openGit(server), remote, 'ada')).toBe(pushed);
    expect(head(server, fetchedImplementerRef('ada'))).toBe(pushed);
    expect(git(server, ['branch', '--list', 'lockstep/*'])).toBe('');
  });

  it('refuses a remote that would read as an option before git runs', async () => {
    const { server } = await project();
    await expect(fetchImplementerBranch(openGit(server), '--upload-pack=touch /tmp/pwned', 'ada')).rejects.toBeInstanceOf(RemoteUrlError);
  });

  it('answers null when the implementer has pushed nothing', async () => {
    const { server, remote } = await project();
    expect(await fetchImplementerBranch(openGit(server), remote, 'ada')).toBeNull();
  });
});

describe('pushWithLease', () => {
  it('moves the remote branch only while it is at the expected commit', async () => {
    const { server, remote, clone } = await project();
    const base = head(server, 'main');
    const theirs = commitFiles(clone, { 'theirs.txt': 'x\n' });
    git(clone, ['push', '--quiet', 'origin', 'HEAD:main']);
    const ours = commitFiles(server, { 'ours.txt': 'y\n' });
    const gitServer = openGit(server);

    const refused = await pushWithLease(gitServer, remote, { branch: 'main', commit: ours, expected: base });

    expect(refused).toMatchObject({ status: 'refused', remoteHead: theirs });
    expect(await remoteBranchHead(gitServer, remote, 'main')).toBe(theirs);
    expect(await pushWithLease(gitServer, remote, { branch: 'main', commit: ours, expected: theirs })).toEqual({ status: 'pushed' });
    expect(await remoteBranchHead(gitServer, remote, 'main')).toBe(ours);
  });
});

describe('landCommit with a shared remote', () => {
  it('lands the fetched commit on the target and pushes the target', async () => {
    const { server, remote, clone } = await project();
    const pushed = commitFiles(clone, { 'b.txt': 'b\n' });
    git(clone, ['push', '--quiet']);
    const gitServer = openGit(server);
    await fetchImplementerBranch(gitServer, remote, 'ada');

    const result = await landCommit(await readRepository(gitServer), { target: 'main', source: pushed, message: 'land', remote });

    expect(result).toMatchObject({ status: 'landed', commit: pushed });
    expect(head(server, 'main')).toBe(pushed);
    expect(git(remote, ['rev-parse', 'main'])).toBe(pushed);
  });

  it('refuses when someone pushed to the target meanwhile: nothing overwritten, nothing half-merged', async () => {
    const { server, remote, clone } = await project();
    const before = head(server, 'main');
    const pushed = commitFiles(clone, { 'b.txt': 'b\n' });
    git(clone, ['push', '--quiet']);
    const gitServer = openGit(server);
    await fetchImplementerBranch(gitServer, remote, 'ada');
    const human = join(makeTempDir(), 'human');
    git(makeTempDir(), ['clone', '--quiet', remote, human]);
    const concurrent = commitFiles(human, { 'c.txt': 'c\n' });
    git(human, ['push', '--quiet', 'origin', 'main']);

    const result = await landCommit(await readRepository(gitServer), { target: 'main', source: pushed, message: 'land', remote });

    expect(result).toMatchObject({ status: 'remote_refused', remoteHead: concurrent });
    expect(git(remote, ['rev-parse', 'main'])).toBe(concurrent);
    expect(head(server, 'main')).toBe(before);
    expect(git(server, ['status', '--porcelain'])).toBe('');
    expect(hasMergeHead(server)).toBe(false);
  });
});
