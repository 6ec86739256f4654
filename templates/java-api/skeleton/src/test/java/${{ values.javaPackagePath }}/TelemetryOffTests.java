package ${{ values.javaPackage }};

import org.junit.jupiter.api.Test;

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
	void leavesMetricsExportAloneWhenTheSdkIsOn() {
		MockEnvironment environment = new MockEnvironment().withProperty(METRICS_EXPORT, "true");
		TelemetryOff.apply(environment);
		assertThat(environment.getProperty(METRICS_EXPORT, Boolean.class)).isTrue();
		assertThat(environment.getPropertySources().contains(TelemetryOff.PROPERTY_SOURCE))
			.isFalse();
	}

}
