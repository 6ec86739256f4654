// @golden-path/template-test: test a Backstage software template without a portal.
export { templateTest, validateValues } from './run.ts';
export type { TemplateTestOptions, TemplateTestReport } from './run.ts';
export { startEngine, type Engine, type EngineOptions } from './engine.ts';
export { loadTemplate, type LoadedTemplate } from './template.ts';
export { staticChecks } from './checks/index.ts';
export type { CheckResult, StaticCheck, Workspace } from './checks/types.ts';
export { formatReport, summaryLine } from './cli.ts';
export { junitXml } from './junit.ts';
