package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRun starts the real service on a loopback port, exercises it over HTTP
// and shuts it down the way SIGTERM does (by cancelling ctx).
func TestRun(t *testing.T) {
	t.Setenv("OTEL_SDK_DISABLED", "true") // read by the telemetry package: no exporter, no network

	secretsDir := t.TempDir()
	const secretValue = "value-that-must-not-be-logged"
	if err := os.WriteFile(filepath.Join(secretsDir, "DB_PASSWORD"), []byte(secretValue+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	env := map[string]string{
		"PORT":           strconv.Itoa(port),
		"SECRETS_DIR":    secretsDir,
		"SHUTDOWN_DELAY": "300ms",
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"server"}, func(k string) string { return env[k] }, &logs) }()

	waitFor(t, base+"/readyz", http.StatusOK)
	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/healthz", http.StatusOK, `{"status":"ok"}`},
		{"/readyz", http.StatusOK, `{"status":"ready"}`},
		{"/api/v1/hello?name=Ada", http.StatusOK, `{"message":"Hello, Ada!"}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := get(t, base+tt.path)
			if status != tt.wantStatus || strings.TrimSpace(body) != tt.wantBody {
				t.Errorf("GET %s = %d %s, want %d %s", tt.path, status, body, tt.wantStatus, tt.wantBody)
			}
		})
	}

	cancel() // what SIGTERM does
	// During SHUTDOWN_DELAY the server still answers, but is no longer ready.
	waitFor(t, base+"/readyz", http.StatusServiceUnavailable)

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run() = %v, want nil after shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run() did not return within 10s of cancellation")
	}

	out := logs.String()
	if !strings.Contains(out, `"names":["DB_PASSWORD"]`) {
		t.Errorf("logs do not list the secret name:\n%s", out)
	}
	if strings.Contains(out, secretValue) {
		t.Errorf("logs contain a secret value:\n%s", out)
	}
}

func TestRunFailsFast(t *testing.T) {
	t.Setenv("OTEL_SDK_DISABLED", "true")
	badSecrets := t.TempDir()
	if err := os.WriteFile(filepath.Join(badSecrets, "db-password"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"bad PORT", []string{"server"}, map[string]string{"PORT": "eighty"}, "PORT"},
		{"bad secret file name", []string{"server"}, map[string]string{"PORT": "0", "SECRETS_DIR": badSecrets}, "db-password"},
		{"unexpected argument", []string{"server", "--port=1"}, nil, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Run(context.Background(), tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Run() = %v, want an error mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

// waitFor polls url until it answers with status, for up to 5 seconds.
func waitFor(t *testing.T, url string, status int) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s did not answer %d within 5s", url, status)
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of the server.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
