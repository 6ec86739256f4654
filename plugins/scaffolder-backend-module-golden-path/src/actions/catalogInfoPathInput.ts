// The same zod/v3 the scaffolder passes to schema callbacks.
import { z as zod } from 'zod/v3';

/** The `catalogInfoPath` input shared by the actions that annotate catalog-info.yaml. */
export const catalogInfoPathInput = (z: typeof zod) =>
  z
    .string({
      description:
        "catalog-info.yaml to update, relative to the workspace. Defaults to 'catalog-info.yaml'.",
    })
    .optional();
