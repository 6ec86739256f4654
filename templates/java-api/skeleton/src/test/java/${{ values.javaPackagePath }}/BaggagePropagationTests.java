package ${{ values.javaPackage }};

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class BaggagePropagationTests {

	private static final String ENABLED = "management.tracing.baggage.enabled";

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
		@Override
		public Iterable<String> keys(Map<String, String> carrier) {
			return carrier.keySet();
		}

		@Override
		public String get(Map<String, String> carrier, String key) {
			return carrier == null ? null : carrier.get(key);
		}
	};

	@Test
	void takesW3cBaggageOverFromSpringBoot() {
		// What Spring Boot maps OTEL_PROPAGATORS=tracecontext,baggage onto.
		MockEnvironment environment = new MockEnvironment().withProperty(ENABLED, "true")
			.withProperty("management.tracing.propagation.type", "W3C");
		BaggagePropagation.apply(environment);
		assertThat(environment.getProperty(ENABLED, Boolean.class)).isFalse();
		assertThat(environment.getProperty(BaggagePropagation.W3C_BAGGAGE, Boolean.class)).isTrue();
	}

	@Test
	void leavesBaggageToSpringBootWhenRemoteFieldsAreConfigured() {
		// Remote fields (baggage as its own headers) need Micrometer's propagator.
		MockEnvironment environment = new MockEnvironment().withProperty(ENABLED, "true")
			.withProperty("management.tracing.baggage.remote-fields", "x-tenant");
		BaggagePropagation.apply(environment);
		assertThat(environment.getProperty(ENABLED, Boolean.class)).isTrue();
		assertThat(environment.getPropertySources().contains(BaggagePropagation.PROPERTY_SOURCE)).isFalse();
	}

	@Test
	void leavesBaggageOffWhenItIsOff() {
		// OTEL_PROPAGATORS=tracecontext: no baggage at all.
		MockEnvironment environment = new MockEnvironment().withProperty(ENABLED, "false");
		BaggagePropagation.apply(environment);
		assertThat(environment.getPropertySources().contains(BaggagePropagation.PROPERTY_SOURCE)).isFalse();
	}

	@Test
	void leavesB3PropagationAlone() {
		MockEnvironment environment = new MockEnvironment().withProperty("management.tracing.propagation.type",
				"B3");
		BaggagePropagation.apply(environment);
		assertThat(environment.getPropertySources().contains(BaggagePropagation.PROPERTY_SOURCE)).isFalse();
	}

	@Test
	void theApplicationStillPropagatesTraceContextAndBaggage() {
		// The application as main() starts it: the tracer's propagators read and write both headers.
		SpringApplication application = new SpringApplication(Application.class);
		application.addListeners(new TelemetryOff(), new BaggagePropagation());
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--management.tracing.propagation.type=W3C")) {
			assertThat(context.getEnvironment().getProperty(ENABLED, Boolean.class)).isFalse();
			TextMapPropagator propagator = context.getBean(ContextPropagators.class).getTextMapPropagator();

			Context extracted = propagator.extract(Context.root(),
					Map.of("traceparent", TRACEPARENT, "baggage", "tenant=acme"), MAP_GETTER);
			assertThat(Span.fromContext(extracted).getSpanContext().getTraceId())
				.isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
			assertThat(Baggage.fromContext(extracted).getEntryValue("tenant")).isEqualTo("acme");

			Map<String, String> outgoing = new HashMap<>();
			propagator.inject(extracted, outgoing, Map::put);
			assertThat(outgoing).containsEntry("baggage", "tenant=acme").containsKey("traceparent");
		}
	}

}
