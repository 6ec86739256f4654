package ${{ values.javaPackage }};

import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code OTEL_SDK_DISABLED=true} switch metrics export off too, as the OpenTelemetry
 * specification says it should for every signal. Spring Boot maps the variable onto
 * {@code management.opentelemetry.enabled} (tracing), but Micrometer's OTLP registry only
 * looks at {@code management.otlp.metrics.export.enabled} (from {@code OTEL_METRICS_EXPORTER}).
 * Added to the application in {@link Application#main}; runs once Spring Boot has mapped the
 * {@code OTEL_*} variables.
 */
class TelemetryOff implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String PROPERTY_SOURCE = "telemetryOff";

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		apply(event.getEnvironment());
	}

	static void apply(ConfigurableEnvironment environment) {
		boolean sdkDisabled = !environment.getProperty("management.opentelemetry.enabled", Boolean.class, true)
				|| "true".equalsIgnoreCase(environment.getProperty("OTEL_SDK_DISABLED", "").trim());
		if (sdkDisabled) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE,
						Map.of("management.otlp.metrics.export.enabled", "false")));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE; // after the EnvironmentPostProcessors, Spring Boot's OTEL_* mapping among them
	}

}
