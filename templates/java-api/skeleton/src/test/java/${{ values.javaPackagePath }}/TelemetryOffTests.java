package ${{ values.javaPackage }};

import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryOffTests {

	private static final String METRICS_EXPORT = "management.otlp.metrics.export.enabled";

	@Test
	void sdkDisabledSwitchesMetricsExportOffToo() {
		// What Spring Boot maps OTEL_SDK_DISABLED=true and OTEL_METRICS_EXPORTER=otlp onto.
		MockEnvironment environment = new MockEnvironment().withProperty("management.opentelemetry.enabled", "false")
			.withProperty(METRICS_EXPORT, "true");
		TelemetryOff.apply(environment);
		assertThat(environment.getProperty(METRICS_EXPORT, Boolean.class)).isFalse();
	}

	@Test
	void readsOtelSdkDisabledItselfToo() {
		MockEnvironment environment = new MockEnvironment().withProperty("OTEL_SDK_DISABLED", " TRUE ")
			.withProperty(METRICS_EXPORT, "true");
		TelemetryOff.apply(environment);
		assertThat(environment.getProperty(METRICS_EXPORT, Boolean.class)).isFalse();
	}

	@Test
	void sdkDisabledLeavesTheTracerOutAndKeepsTheApplicationsOwnExclusions() {
		MockEnvironment environment = new MockEnvironment().withProperty("OTEL_SDK_DISABLED", "true")
			.withProperty("spring.autoconfigure.exclude", "com.example.SomeAutoConfiguration");
		TelemetryOff.apply(environment);
		assertThat(environment.getProperty("spring.autoconfigure.exclude"))
			.isEqualTo("com.example.SomeAutoConfiguration," + TelemetryOff.TRACER_AUTO_CONFIGURATION);
	}

	@Test
	void sdkDisabledMeansNoSpansAtAll() {
		// The application as main() starts it: with the SDK disabled, requests get no span
		// (the no-op tracer), not an unexported one.
		SpringApplication application = new SpringApplication(Application.class);
		application.addListeners(new TelemetryOff());
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--management.opentelemetry.enabled=false")) {
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
		}
	}

	@Test
	void leavesMetricsExportAloneWhenTheSdkIsOn() {
		MockEnvironment environment = new MockEnvironment().withProperty(METRICS_EXPORT, "true");
		TelemetryOff.apply(environment);
		assertThat(environment.getProperty(METRICS_EXPORT, Boolean.class)).isTrue();
		assertThat(environment.getPropertySources().contains(TelemetryOff.PROPERTY_SOURCE))
			.isFalse();
	}

}
