package app

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	defaults := config{Port: 8080, SecretsDir: "/var/run/secrets/app", ShutdownDelay: 5 * time.Second, LogLevel: slog.LevelInfo}
	tests := []struct {
		name    string
		env     map[string]string
		want    config
		wantErr string
	}{
		{name: "defaults", want: defaults},
		{
			name: "all set",
			env:  map[string]string{"PORT": "9090", "SECRETS_DIR": "./.secrets", "SHUTDOWN_DELAY": "2s", "LOG_LEVEL": "debug"},
			want: config{Port: 9090, SecretsDir: "./.secrets", ShutdownDelay: 2 * time.Second, LogLevel: slog.LevelDebug},
		},
		{name: "port 0 picks a free port", env: map[string]string{"PORT": "0"}, want: config{Port: 0, SecretsDir: defaults.SecretsDir, ShutdownDelay: defaults.ShutdownDelay, LogLevel: slog.LevelInfo}},
		{name: "port not a number", env: map[string]string{"PORT": "http"}, wantErr: `PORT="http"`},
		{name: "port out of range", env: map[string]string{"PORT": "70000"}, wantErr: `PORT="70000"`},
		{name: "bad delay", env: map[string]string{"SHUTDOWN_DELAY": "5"}, wantErr: `SHUTDOWN_DELAY="5"`},
		{name: "negative delay", env: map[string]string{"SHUTDOWN_DELAY": "-1s"}, wantErr: `SHUTDOWN_DELAY="-1s"`},
		{name: "bad log level", env: map[string]string{"LOG_LEVEL": "loud"}, wantErr: `LOG_LEVEL="loud"`},
		{
			name:    "all errors are reported at once",
			env:     map[string]string{"PORT": "x", "LOG_LEVEL": "y"},
			wantErr: `PORT="x": want a port number 0-65535` + "\n" + `LOG_LEVEL="y"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("loadConfig() error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("loadConfig() error = %v", err)
			}
			if got != tt.want {
				t.Errorf("loadConfig() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
