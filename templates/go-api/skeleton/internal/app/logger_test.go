package app

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

func TestLoggerAddsTraceContext(t *testing.T) {
	traceID, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	spanID, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	withSpan := trace.ContextWithSpanContext(context.Background(),
		trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID}))

	tests := []struct {
		name        string
		ctx         context.Context
		wantTraceID string
		wantSpanID  string
	}{
		{"with span", withSpan, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"},
		{"without span", context.Background(), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			newLogger(&buf, slog.LevelInfo).With("component", "test").InfoContext(tt.ctx, "hello")

			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatalf("log line %q is not JSON: %v", buf.String(), err)
			}
			if got, _ := line["trace_id"].(string); got != tt.wantTraceID {
				t.Errorf("trace_id = %q, want %q", got, tt.wantTraceID)
			}
			if got, _ := line["span_id"].(string); got != tt.wantSpanID {
				t.Errorf("span_id = %q, want %q", got, tt.wantSpanID)
			}
			if line["component"] != "test" {
				t.Errorf("component = %v, want attributes from With to survive", line["component"])
			}
		})
	}
}
