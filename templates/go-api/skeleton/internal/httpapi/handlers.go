package httpapi

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"unicode/utf8"
)

// handleHealthz is the liveness probe: 200 while the process can serve HTTP.
// Keep it free of dependency checks, or a slow database restarts every pod.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, statusResponse{Status: "ok"})
	})
}

// handleReadyz is the readiness probe: 200 once startup finished (secrets
// loaded, listener up), 503 before that and while shutting down, so the
// load balancer stops sending traffic before the server closes.
func handleReadyz(ready func() bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ready() {
			writeJSON(w, http.StatusServiceUnavailable, statusResponse{Status: "unavailable"})
			return
		}
		writeJSON(w, http.StatusOK, statusResponse{Status: "ready"})
	})
}

const maxNameLength = 64

// handleHello is the example endpoint: GET /api/v1/hello?name=Ada.
func handleHello(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		if utf8.RuneCountInString(name) > maxNameLength {
			writeJSON(w, http.StatusBadRequest, errorResponse{
				Error: fmt.Sprintf("name must be at most %d characters", maxNameLength),
			})
			return
		}
		logger.InfoContext(r.Context(), "said hello", "name_length", utf8.RuneCountInString(name))
		writeJSON(w, http.StatusOK, helloResponse{Message: "Hello, " + name + "!"})
	})
}

type statusResponse struct {
	Status string `json:"status"`
}

type helloResponse struct {
	Message string `json:"message"`
}

type errorResponse struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
