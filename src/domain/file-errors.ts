// What a failed file-system call means to an agent: one mapping from errno to a DomainError with a next
// step, so no file tool reports a full disk or an over-long name as INTERNAL.

import { DomainError } from '../core/errors.js';

/** The DomainError for a file-system failure on `display`; anything unforeseen is returned as is. */
export function fileError(error: unknown, display: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new DomainError('PATH_NOT_FOUND', `${display} does not exist`, 'Check the path (relative paths start at the project root).', { path: display });
    case 'EISDIR':
      return new DomainError('INVALID_INPUT', `${display} is a directory`, 'Pass the path of a file.');
    case 'EACCES':
    case 'EPERM':
      return new DomainError('INVALID_INPUT', `permission denied for ${display}`, 'Choose a path this server may access.');
    case 'ENAMETOOLONG':
      return new DomainError('NAME_TOO_LONG', `${display} has a name longer than the file system allows (255 bytes a name)`, 'Use a shorter file or folder name.', {
        path: display,
      });
    case 'ENOSPC':
    case 'EDQUOT':
      return new DomainError('DISK_FULL', `no space left on the device for ${display}; the file is as it was`, 'Free disk space (or ask the human to), then write again.', {
        path: display,
      });
    default:
      return error;
  }
}
