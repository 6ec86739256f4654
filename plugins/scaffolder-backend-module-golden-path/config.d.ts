export interface Config {
  /** Golden-path policy and wiring, read by the golden-path scaffolder module and service-insights plugins. */
  goldenPath?: {
    secrets?: {
      /** Where golden-path:secrets:seed writes when goldenPath.secrets.provider is `local`. */
      local?: {
        /**
         * Directory with one file per secret at `<directory>/<path>` (files 0600, directories 0700). A relative path
         * is resolved against the backend's working directory. Default: `../../data/secrets`.
         */
        directory?: string;
      };
      /** Vault KV version 2, used by golden-path:secrets:seed when the provider is `vault`. */
      vault?: {
        /** Vault's base URL, e.g. https://vault.example.com:8200. Required when the provider is vault. */
        address?: string;
        /**
         * Token with `create` and `update` on `<mount>/data/*` (seeding), and `read` on `<mount>/metadata/*` (service
         * insights shows which secrets exist; never a value). Required when the provider is vault. Vault must answer at
         * this address itself: redirects are refused, so the token never goes elsewhere.
         * @visibility secret
         */
        token?: string;
        /** Mount path of the KV version 2 engine. Default: `secret`. */
        mount?: string;
        /** Vault Enterprise / HCP namespace (X-Vault-Namespace). */
        namespace?: string;
      };
      /**
       * AWS Secrets Manager, used by golden-path:secrets:seed when the provider is `aws-secrets-manager`;
       * credentials come from the AWS SDK default chain.
       */
      aws?: {
        /** Region of the secrets, e.g. eu-central-1. Required when the provider is aws-secrets-manager. */
        region?: string;
        /** Endpoint override, e.g. http://localhost:4566 for LocalStack. */
        endpoint?: string;
      };
    };
    publish?: {
      /**
       * Publishing new repositories as git repositories on the backend's disk (golden-path:publish:local).
       * Meant for laptops, demos and tests; leave it out (or set it to null) in production.
       */
      local?: {
        /**
         * Folder that holds the published repositories, one sub-folder per repository. A relative path is
         * resolved against the backend's working directory. The catalog may read `file:` URLs inside it, and
         * nothing outside it.
         */
        rootDirectory: string;
      };
    };
  };
}
