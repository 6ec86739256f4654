package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// config is everything the service reads from its environment. OTEL_*
// variables are read by the telemetry package and the OpenTelemetry SDK.
type config struct {
	Port          int           // PORT, default 8080; 0 picks a free port
	SecretsDir    string        // SECRETS_DIR, default /var/run/secrets/app
	ShutdownDelay time.Duration // SHUTDOWN_DELAY, default 5s
	LogLevel      slog.Level    // LOG_LEVEL, default info
}

const (
	defaultPort       = 8080
	defaultSecretsDir = "/var/run/secrets/app"
	// After SIGTERM the service stays up, not ready, this long, so load balancers that
	// only learn from the readiness probe stop sending requests before it stops.
	defaultShutdownDelay = 5 * time.Second
)

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{Port: defaultPort, SecretsDir: defaultSecretsDir, ShutdownDelay: defaultShutdownDelay, LogLevel: slog.LevelInfo}
	var errs []error

	if v := getenv("PORT"); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 0 || port > 65535 {
			errs = append(errs, fmt.Errorf("PORT=%q: want a port number 0-65535", v))
		}
		cfg.Port = port
	}
	if v := getenv("SECRETS_DIR"); v != "" {
		cfg.SecretsDir = v
	}
	if v := getenv("SHUTDOWN_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			errs = append(errs, fmt.Errorf("SHUTDOWN_DELAY=%q: want a duration such as 5s", v))
		}
		cfg.ShutdownDelay = d
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", v))
		}
	}

	if err := errors.Join(errs...); err != nil {
		return config{}, fmt.Errorf("invalid configuration: %w", err)
	}
	return cfg, nil
}
