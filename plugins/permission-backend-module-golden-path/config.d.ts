export interface Config {
  goldenPath?: {
    /**
     * Who may do what when `permission.enabled` is true. Each role lists catalog entity refs, `user:<ns>/<name>` or
     * `group:<ns>/<name>`. A signed-in user holds a role when their user ref, or one of the groups they are a direct
     * member of (the ownership refs in their Backstage identity), is listed; the strongest role wins. Anyone else
     * who signs in may do nothing. Nested groups are not expanded: list the teams themselves.
     */
    authorization?: {
      /**
       * Platform team: everything, including registering and unregistering catalog locations, deleting entities,
       * template dry-runs and managing templates, and reading every task. The policy itself is this config, edited
       * through the repository.
       */
      platformAdmins?: string[];
      /**
       * Developers: read the catalog, run templates, refresh entities, and see and cancel their own tasks only.
       */
      developers?: string[];
      /** Read-only viewers: read the catalog and templates; they cannot run templates. */
      viewers?: string[];
    };
  };
}
