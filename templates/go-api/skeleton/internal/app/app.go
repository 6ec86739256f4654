// Package app wires the service together: configuration, logging,
// telemetry, secrets and the HTTP server with graceful shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"${{ values.goModule }}/internal/httpapi"
	"${{ values.goModule }}/internal/secrets"
	"${{ values.goModule }}/internal/telemetry"
)

const (
	// shutdownTimeout bounds the wait for in-flight requests after SIGTERM.
	// The pod's terminationGracePeriodSeconds (45s in the golden-path Deployment)
	// covers the preStop sleep (5s) + SHUTDOWN_DELAY (5s) + shutdownTimeout +
	// telemetryTimeout.
	shutdownTimeout  = 10 * time.Second
	telemetryTimeout = 5 * time.Second
)

// Run starts the service and blocks until ctx is cancelled or the process
// receives SIGINT or SIGTERM, then shuts down gracefully and returns nil.
// It returns an error if the service cannot start or stop cleanly.
//
// args and getenv are os.Args and os.Getenv in production; tests pass their
// own. The OpenTelemetry SDK reads OTEL_* from the process environment itself.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) (err error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) > 1 {
		return fmt.Errorf("unexpected arguments %q: the server is configured by environment variables", args[1:])
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(stdout, cfg.LogLevel)

	shutdownTelemetry, err := telemetry.Setup(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// Runs last: flushes the spans of the final requests.
		tctx, cancel := context.WithTimeout(context.Background(), telemetryTimeout)
		defer cancel()
		if terr := shutdownTelemetry(tctx); terr != nil {
			err = errors.Join(err, fmt.Errorf("shut down telemetry: %w", terr))
		}
	}()

	secretValues, err := secrets.Load(cfg.SecretsDir)
	if err != nil {
		return err
	}
	// Names only: never log secret values. Pass secretValues["DB_PASSWORD"]
	// and friends to the clients that need them.
	logger.Info("secrets loaded", "dir", cfg.SecretsDir, "names", secrets.Names(secretValues))

	var ready atomic.Bool
	srv := &http.Server{
		Handler:           httpapi.NewServer(httpapi.Config{Logger: logger, Ready: ready.Load}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(cfg.Port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	ready.Store(true)
	logger.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	stop() // from now on a second SIGINT/SIGTERM kills the process at once

	// Fail readiness first so load balancers stop sending new requests, give
	// them SHUTDOWN_DELAY to notice, then finish the in-flight ones.
	ready.Store(false)
	logger.Info("shutting down", "delay", cfg.ShutdownDelay.String())
	time.Sleep(cfg.ShutdownDelay)

	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down http server: %w", err)
	}
	logger.Info("http server stopped")
	return nil
}
