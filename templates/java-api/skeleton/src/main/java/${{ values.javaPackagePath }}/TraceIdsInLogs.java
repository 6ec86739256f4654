package ${{ values.javaPackage }};

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import org.springframework.boot.json.JsonWriter.Members;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Adds {@code trace_id} and {@code span_id} of the current span to every JSON log line (it is
 * {@code logging.structured.json.customizer}). They are read when the line is written, on the
 * thread that logs it. Spring Boot's way, copying them into the MDC on every scope change, cost
 * more: a request opens and closes several scopes but logs once or not at all. Lines logged
 * outside a span, and every line with telemetry off, have neither field.
 */
public class TraceIdsInLogs implements StructuredLoggingJsonMembersCustomizer<ILoggingEvent> {

	@Override
	public void customize(Members<ILoggingEvent> members) {
		members.add("trace_id", TraceIdsInLogs::traceId).whenNotNull();
		members.add("span_id", TraceIdsInLogs::spanId).whenNotNull();
	}

	private static String traceId() {
		SpanContext span = Span.current().getSpanContext();
		return span.isValid() ? span.getTraceId() : null;
	}

	private static String spanId() {
		SpanContext span = Span.current().getSpanContext();
		return span.isValid() ? span.getSpanId() : null;
	}

}
