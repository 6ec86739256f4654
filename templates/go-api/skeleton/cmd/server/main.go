// Command server runs the HTTP service. All wiring lives in internal/app so
// that tests can start the real thing with app.Run.
package main

import (
	"context"
	"fmt"
	"os"

	"${{ values.goModule }}/internal/app"
)

func main() {
	if err := app.Run(context.Background(), os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "server: %s\n", err)
		os.Exit(1)
	}
}
