import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { GoldenPathPolicy, readGoldenPathPolicy } from '@golden-path/common';
import { useMemo } from 'react';

/** The golden-path policy from app-config, or the error that names the bad key. */
export type PolicyState =
  | { policy: GoldenPathPolicy; error?: undefined }
  | { policy?: undefined; error: Error };

/**
 * Reads the golden-path policy through `configApi`. Only the frontend-visible parts (cost tags, trace links, deploy
 * environments) are real here; the rest hold their defaults.
 */
export function useGoldenPathPolicy(): PolicyState {
  const configApi = useApi(configApiRef);
  return useMemo(() => {
    try {
      return { policy: readGoldenPathPolicy(configApi) };
    } catch (e) {
      return { error: e instanceof Error ? e : new Error(String(e)) };
    }
  }, [configApi]);
}
