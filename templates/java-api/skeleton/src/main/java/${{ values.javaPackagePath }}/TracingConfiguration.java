package ${{ values.javaPackage }};

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.micrometer.tracing.autoconfigure.ConditionalOnEnabledTracingExport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.OpenTelemetryServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;

/**
 * Tracing beyond what Spring Boot configures from {@code application.properties} and the
 * {@code OTEL_*} environment variables.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	/**
	 * Names and tags server spans after the OpenTelemetry HTTP semantic conventions, like
	 * the other golden-path services: span {@code GET /api/v1/hello}, attributes
	 * {@code http.request.method}, {@code http.route}, {@code http.response.status_code}.
	 */
	@Bean
	ServerRequestObservationConvention openTelemetryServerRequestConvention() {
		return new OpenTelemetryServerRequestObservationConvention();
	}

	/**
	 * Keeps the actuator endpoints (the Kubernetes probes) out of traces: they are called
	 * every few seconds and say nothing about the API.
	 */
	@Bean
	ObservationPredicate skipActuatorRequests(
			@Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& request.getCarrier().getRequestURI().startsWith(actuatorBasePath + "/"));
	}

	/**
	 * W3C baggage, when {@link BaggagePropagation} has taken it over from Spring Boot's baggage
	 * support. Spring Boot joins every {@link TextMapPropagator} bean into the propagators of
	 * the tracer, next to its W3C trace context one.
	 */
	@Bean
	@ConditionalOnBooleanProperty(BaggagePropagation.W3C_BAGGAGE)
	@ConditionalOnEnabledTracingExport
	TextMapPropagator w3cBaggagePropagator() {
		return W3CBaggagePropagator.getInstance();
	}

	/**
	 * Takes the place of Micrometer's listener that copies the trace and span ids into the MDC
	 * whenever a scope opens or closes, which cost every request: {@link TraceIdsInLogs} writes
	 * them into each JSON log line instead, when the line is written.
	 */
	@Bean
	Slf4JEventListener traceIdsWrittenAtLogTime() {
		return new Slf4JEventListener() {
			@Override
			public void onEvent(Object event) {
			}
		};
	}

}
