export interface Config {
  /** Golden-path policy and wiring, read by the golden-path scaffolder module and service-insights plugins. */
  goldenPath?: {
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
