package ${{ values.javaPackage }};

import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code OTEL_SDK_DISABLED=true} switch every signal off, as the OpenTelemetry
 * specification says it should. Spring Boot maps the variable onto
 * {@code management.opentelemetry.enabled}, which stops the export of spans but keeps the
 * OpenTelemetry tracer: every request would still get a span (IDs, sampler, scope, trace IDs
 * in the logs) that goes nowhere. So this leaves the tracer's auto-configuration out (Micrometer
 * Tracing falls back to its no-op tracer: no spans, no propagation), and switches the metrics
 * push off, which Micrometer's OTLP registry only reads from
 * {@code management.otlp.metrics.export.enabled} ({@code OTEL_METRICS_EXPORTER}). Requests are
 * still timed in memory for {@code /actuator/metrics}. Added to the application in
 * {@link Application#main}; runs once Spring Boot has mapped the {@code OTEL_*} variables.
 */
class TelemetryOff implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String PROPERTY_SOURCE = "telemetryOff";

	static final String TRACER_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration";

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		apply(event.getEnvironment());
	}

	static void apply(ConfigurableEnvironment environment) {
		boolean sdkDisabled = !environment.getProperty("management.opentelemetry.enabled", Boolean.class, true)
				|| "true".equalsIgnoreCase(environment.getProperty("OTEL_SDK_DISABLED", "").trim());
		if (sdkDisabled) {
			// Keep whatever the application itself excludes.
			String excluded = environment.getProperty("spring.autoconfigure.exclude", "").trim();
			environment.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE,
						Map.of("management.otlp.metrics.export.enabled", "false", "spring.autoconfigure.exclude",
								excluded.isEmpty() ? TRACER_AUTO_CONFIGURATION
										: excluded + "," + TRACER_AUTO_CONFIGURATION)));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE; // after the EnvironmentPostProcessors, Spring Boot's OTEL_* mapping among them
	}

}
