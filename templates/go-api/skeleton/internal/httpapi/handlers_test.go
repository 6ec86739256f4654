package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace/noop"
)

func TestHandlers(t *testing.T) {
	tests := []struct {
		name       string
		ready      bool
		method     string
		target     string
		wantStatus int
		wantBody   map[string]string // JSON object; nil = don't check
	}{
		{"liveness", true, http.MethodGet, "/healthz", http.StatusOK, map[string]string{"status": "ok"}},
		{"liveness while not ready", false, http.MethodGet, "/healthz", http.StatusOK, map[string]string{"status": "ok"}},
		{"ready", true, http.MethodGet, "/readyz", http.StatusOK, map[string]string{"status": "ready"}},
		{"not ready", false, http.MethodGet, "/readyz", http.StatusServiceUnavailable, map[string]string{"status": "unavailable"}},
		{"hello default", true, http.MethodGet, "/api/v1/hello", http.StatusOK, map[string]string{"message": "Hello, world!"}},
		{"hello name", true, http.MethodGet, "/api/v1/hello?name=Ada", http.StatusOK, map[string]string{"message": "Hello, Ada!"}},
		{"hello escaped name", true, http.MethodGet, "/api/v1/hello?name=J%C3%BCrgen%20M", http.StatusOK, map[string]string{"message": "Hello, Jürgen M!"}},
		{"hello name too long", true, http.MethodGet, "/api/v1/hello?name=" + strings.Repeat("x", maxNameLength+1), http.StatusBadRequest, map[string]string{"error": "name must be at most 64 characters"}},
		{"hello longest name", true, http.MethodGet, "/api/v1/hello?name=" + strings.Repeat("ü", maxNameLength), http.StatusOK, nil},
		{"wrong method", true, http.MethodPost, "/api/v1/hello", http.StatusMethodNotAllowed, nil},
		{"unknown path", true, http.MethodGet, "/nope", http.StatusNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewServer(Config{
				Ready:          func() bool { return tt.ready },
				TracerProvider: noop.NewTracerProvider(),
			})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))

			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantBody == nil {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var got map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q is not a JSON object of strings: %v", rec.Body, err)
			}
			for k, want := range tt.wantBody {
				if got[k] != want {
					t.Errorf("body[%q] = %q, want %q", k, got[k], want)
				}
			}
			if len(got) != len(tt.wantBody) {
				t.Errorf("body = %v, want exactly %v", got, tt.wantBody)
			}
		})
	}
}
