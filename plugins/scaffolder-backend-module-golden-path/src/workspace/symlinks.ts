import { InputError } from '@backstage/errors';
import { readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Throws, naming the link, when a symbolic link under `dir` points outside `dir` (absolute or relative, directly or
 * through another link). Links that stay inside are fine: they are published as links. Refusing instead of dropping
 * such a link keeps the published tree exactly what the template rendered, or nothing.
 */
export async function assertNoSymlinkLeavesWorkspace(
  dir: string,
): Promise<void> {
  const root = await realpath(dir);
  const escaping: string[] = [];
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isSymbolicLink()) {
        if (!(await staysInside(root, path))) {
          escaping.push(relative(root, path));
        }
      } else if (entry.isDirectory()) {
        await walk(path);
      }
    }
  };
  await walk(root);
  if (escaping.length > 0) {
    throw new InputError(
      `Refusing to publish: the symbolic link${
        escaping.length > 1 ? 's' : ''
      } ${escaping
        .map(p => JSON.stringify(p))
        .join(', ')} in the workspace point${
        escaping.length > 1 ? '' : 's'
      } outside it; replace ${
        escaping.length > 1 ? 'them' : 'it'
      } with the file or a link inside the repository`,
    );
  }
}

async function staysInside(root: string, link: string): Promise<boolean> {
  const target = await readlink(link);
  if (isAbsolute(target)) {
    // An absolute target means another place on whichever machine clones the repository.
    return false;
  }
  const lexical = resolve(dirname(link), target);
  if (!isInside(root, lexical)) {
    return false;
  }
  // The target may itself pass through a link (checked on its own), or resolve elsewhere: check where it ends up.
  try {
    return isInside(root, await realpath(lexical));
  } catch {
    // A dangling link that stays inside the workspace exposes nothing.
    return true;
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}
