package ${{ values.javaPackage }};

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Checks the spans the service records, through Spring Boot's real OpenTelemetry setup:
 * only the exporter is replaced by an in-memory one.
 * <p>
 * The sampling probability is 0 here, so a span is recorded only because the sampler is
 * parent-based and the incoming {@code traceparent} is sampled.
 */
@SpringBootTest(properties = "management.tracing.sampling.probability=0.0")
@AutoConfigureMockMvc
@AutoConfigureTracing // tracing (and W3C propagation) is switched off in tests without it
class TracingTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

	private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

	private static final InMemorySpanExporter spans = InMemorySpanExporter.create();

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemorySpans {

		// Boot adds every SpanProcessor bean to its tracer provider. A SimpleSpanProcessor
		// exports each span synchronously when it ends (a SpanExporter bean would be
		// batched instead).
		@Bean
		SpanProcessor inMemorySpanProcessor() {
			return SimpleSpanProcessor.create(spans);
		}

	}

	@Autowired
	private MockMvc mvc;

	@Value("${spring.application.name}")
	private String applicationName;

	@BeforeEach
	void clearSpans() {
		spans.reset();
	}

	@Test
	void serverSpanContinuesTheIncomingTrace() throws Exception {
		this.mvc.perform(get("/api/v1/hello").param("name", "Ada").header("traceparent", TRACEPARENT))
			.andExpect(status().isOk());

		List<SpanData> serverSpans = spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getKind() == SpanKind.SERVER)
			.toList();
		assertThat(serverSpans).hasSize(1);
		SpanData span = serverSpans.get(0);
		assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
		assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
		assertThat(span.getName()).isEqualTo("GET /api/v1/hello");
		assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/api/v1/hello");
		assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name")))
			.isEqualTo(this.applicationName);
	}

	@Test
	void newTracesFollowTheSamplingProbability() throws Exception {
		this.mvc.perform(get("/api/v1/hello")).andExpect(status().isOk());

		assertThat(spans.getFinishedSpanItems()).isEmpty();
	}

	@Test
	void probesAreNotTraced() throws Exception {
		this.mvc.perform(get("/actuator/health/readiness").header("traceparent", TRACEPARENT))
			.andExpect(status().isOk());

		assertThat(spans.getFinishedSpanItems()).isEmpty();
	}

}
