/**
 * Test fixtures shared by every suite: the example organisation read from examples/*.yaml, and a sample
 * service insight. Node only (reads files); never imported by production code.
 *
 * @packageDocumentation
 */
export {
  EXAMPLE_ORG_FILES,
  exampleEntity,
  exampleNames,
  exampleOrgEntities,
} from './exampleOrg';
export { sampleInsight } from './sampleInsight';
