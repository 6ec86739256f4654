import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { FileHandle, mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
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
    let handle: FileHandle;
    try {
      // 'wx' fails when the file exists, so two tasks racing for one secret cannot both write it.
      handle = await open(file, 'wx', LOCAL_SECRET_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return 'exists';
      }
      throw new Error(
        `Could not create the secret file ${file}: ${(error as Error).message}`,
      );
    }
    try {
      await handle.writeFile(value, 'utf8');
      await handle.close();
      return 'created';
    } catch (error) {
      await handle.close().catch(() => undefined);
      // Remove the half-written file, so that a retry writes it again instead of reporting it as existing.
      await rm(file, { force: true });
      throw new Error(
        `Could not write the secret file ${file}: ${(error as Error).message}`,
      );
    }
  }

  #file(path: string): string {
    assertSecretPath(path);
    return resolveSafeChildPath(this.#directory, path);
  }
}
