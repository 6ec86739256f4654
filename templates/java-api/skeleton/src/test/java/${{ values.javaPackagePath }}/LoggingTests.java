package ${{ values.javaPackage }};

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Log lines are JSON with the trace_id and span_id of the request being served (TraceIdsInLogs). */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureTracing
@ExtendWith(OutputCaptureExtension.class)
class LoggingTests {

	@Autowired
	MockMvc mvc;

	@Test
	void requestLogLineIsJsonWithTheTraceIds(CapturedOutput output) throws Exception {
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		mvc.perform(get("/api/v1/hello").param("name", "Ada")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")).andExpect(status().isOk());

		assertThat(jsonLinesWith("said hello", output)).singleElement().satisfies(line -> {
			assertThat(line.get("message")).isEqualTo("said hello, name_length=3");
			assertThat(line.get("level")).isEqualTo("INFO");
			assertThat(line.get("trace_id")).isEqualTo(traceId);
			assertThat((String) line.get("span_id")).matches("[0-9a-f]{16}");
		});
	}

	@Test
	void aLineLoggedOutsideASpanHasNoTraceIds(CapturedOutput output) throws Exception {
		LoggerFactory.getLogger(LoggingTests.class).info("outside any span");

		assertThat(jsonLinesWith("outside any span", output)).singleElement().satisfies(line -> {
			assertThat(line.get("trace_id")).isNull();
			assertThat(line.get("span_id")).isNull();
			assertThat(line.get("level")).isEqualTo("INFO");
		});
	}

	private static List<Map<?, ?>> jsonLinesWith(String text, CapturedOutput output) {
		JsonMapper json = JsonMapper.builder().build();
		return output.getOut()
			.lines()
			.filter(line -> line.contains(text))
			.<Map<?, ?>>map(line -> json.readValue(line, Map.class))
			.toList();
	}

}
