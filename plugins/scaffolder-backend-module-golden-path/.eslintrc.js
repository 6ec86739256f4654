module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // Files the actions copy into generated repositories: their dependencies are declared by the template's
      // package.json, not this plugin's.
      files: ['assets/**'],
      rules: { '@backstage/no-undeclared-imports': 'off' },
    },
  ],
});
