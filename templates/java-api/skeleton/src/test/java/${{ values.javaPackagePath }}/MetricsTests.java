package ${{ values.javaPackage }};

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Checks that every request is timed in the {@code http.server.request.duration} histogram
 * and that Spring Boot's OTLP registry pushes it, with the service's resource attributes, to
 * an OTLP/HTTP receiver on loopback (a JDK HTTP server standing in for the collector).
 */
@SpringBootTest(properties = { "management.otlp.metrics.export.enabled=true",
		"management.otlp.metrics.export.step=1s",
		"management.opentelemetry.resource-attributes.cost_center=CC-1001" })
@AutoConfigureMockMvc
@AutoConfigureMetrics // metrics export is switched off in tests without it
@DirtiesContext // stop pushing once the class is done; the collector lives as long as the test JVM
class MetricsTests {

	private static final List<byte[]> exports = new CopyOnWriteArrayList<>();

	private static final HttpServer collector = startCollector();

	private static HttpServer startCollector() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/v1/metrics", exchange -> {
				exports.add(exchange.getRequestBody().readAllBytes());
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void collectorUrl(DynamicPropertyRegistry registry) {
		registry.add("management.otlp.metrics.export.url",
				() -> "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/metrics");
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	MeterRegistry registry;

	@Value("${spring.application.name}")
	String applicationName;

	@Test
	void requestIsTimedByRouteAndStatus() throws Exception {
		mvc.perform(get("/api/v1/hello").param("name", "Ada")).andExpect(status().isOk());

		Timer timer = this.registry.get("http.server.request.duration")
			.tag("http.route", "/api/v1/hello")
			.tag("http.request.method", "GET")
			.tag("http.response.status_code", "200")
			.timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void durationHistogramIsPushedOverOtlpWithTheResource() throws Exception {
		mvc.perform(get("/api/v1/hello")).andExpect(status().isOk());

		// OTLP protobuf keeps strings as UTF-8, so the metric name and the attributes show in the bytes.
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		String pushed = "";
		while (System.nanoTime() < deadline && !(pushed.contains("http.server.request.duration")
				&& pushed.contains("/api/v1/hello"))) {
			Thread.sleep(200);
			pushed = String.join("\n",
					exports.stream().map(body -> new String(body, StandardCharsets.ISO_8859_1)).toList());
		}
		assertThat(pushed).contains("http.server.request.duration", "/api/v1/hello", "jvm.memory.used");
		assertThat(pushed).contains("service.name", this.applicationName);
		assertThat(pushed).contains("cost_center", "CC-1001");
	}

}
