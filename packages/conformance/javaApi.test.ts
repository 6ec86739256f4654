// java-api: Spring Boot 4.1 with the Maven wrapper; built, tested and run by template-test from metadata.templateTest
// in its template.yaml (`./mvnw -B verify`, then the jar serving HTTP).
import { conformanceSuite } from './lib/conformanceSuite.ts';

conformanceSuite({
  template: 'java-api',
  workload: 'service',
  chaosTargets: ['otel-collector.observability'],
  languageFiles: ['pom.xml', 'mvnw', '.mvn/wrapper/maven-wrapper.properties'],
});
