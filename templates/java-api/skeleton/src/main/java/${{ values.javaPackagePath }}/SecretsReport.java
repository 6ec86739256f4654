package ${{ values.javaPackage }};

import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * Logs which secrets were read from {@code SECRETS_DIR}: names only, never values.
 * <p>
 * {@code spring.config.import=optional:configtree:...} in {@code application.properties}
 * turns each file in that directory into a property named like the file, e.g.
 * {@code DB_PASSWORD}; read it with {@code @Value("${DB_PASSWORD}")} or
 * {@code Environment.getProperty("DB_PASSWORD")}.
 */
@Component
class SecretsReport {

	private static final Logger logger = LoggerFactory.getLogger(SecretsReport.class);

	private final ConfigurableEnvironment environment;

	SecretsReport(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@EventListener(ApplicationStartedEvent.class)
	void logSecretNames() {
		List<String> names = this.environment.getPropertySources()
			.stream()
			.filter(ConfigTreePropertySource.class::isInstance)
			.flatMap((source) -> Arrays.stream(((ConfigTreePropertySource) source).getPropertyNames()))
			.sorted()
			.toList();
		if (names.isEmpty()) {
			logger.info("no secrets loaded: SECRETS_DIR is missing or empty");
		}
		else {
			logger.info("loaded {} secret(s): {}", names.size(), String.join(", ", names));
		}
	}

}
