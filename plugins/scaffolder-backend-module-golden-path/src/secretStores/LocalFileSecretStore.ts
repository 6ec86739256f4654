import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import { link, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  assertSecretPath,
  SecretCreateResult,
  SecretStore,
} from './SecretStore';

/** Mode of each secret file: read and write for the backend's user only. */
export const LOCAL_SECRET_FILE_MODE = 0o600;
/** Mode of the directories the store creates: the backend's user only. */
export const LOCAL_SECRET_DIRECTORY_MODE = 0o700;

/**
 * The embedded secret store for laptops and demos: one file per secret at `<directory>/<path>`, holding the value
 * as is. Files are created 0600 and directories 0700, and an existing file is never replaced.
 */
export class LocalFileSecretStore implements SecretStore {
  readonly provider = 'local' as const;
  readonly #directory: string;

  constructor(options: { directory: string }) {
    this.#directory = options.directory;
  }

  describe(path: string): string {
    return this.#file(path);
  }

  async create(path: string, value: string): Promise<SecretCreateResult> {
    const file = this.#file(path);
    try {
      await mkdir(dirname(file), {
        recursive: true,
        mode: LOCAL_SECRET_DIRECTORY_MODE,
      });
    } catch (error) {
      throw new Error(
        `Could not create the directory of the secret file ${file}: ${
          (error as Error).message
        }`,
      );
    }
    // Write the value to a scratch file, then link it into place: link() fails when the target exists, so two
    // tasks racing for one secret cannot both create it, and a crash leaves at most a scratch file, never an
    // empty or half-written secret.
    const scratch = join(
      dirname(file),
      `.${basename(file)}.${randomBytes(8).toString('hex')}.tmp`,
    );
    try {
      await writeFile(scratch, value, {
        encoding: 'utf8',
        mode: LOCAL_SECRET_FILE_MODE,
        flag: 'wx',
        flush: true,
      });
      await link(scratch, file);
      return 'created';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return 'exists';
      }
      throw new Error(
        `Could not create the secret file ${file}: ${(error as Error).message}`,
      );
    } finally {
      await rm(scratch, { force: true });
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      return (await stat(this.#file(path))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return false;
      }
      throw error;
    }
  }

  #file(path: string): string {
    assertSecretPath(path);
    return resolveSafeChildPath(this.#directory, path);
  }
}
